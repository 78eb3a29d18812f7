package dev.emlab.judge;

/** What a judge said about one answer: a 0..100 score, a label, a harm rating, or a multiple-choice reading. */
public sealed interface Judgement permits Score, Verdict, HarmRating, ChoiceProbs {
    /** Which prompt produced it (e.g. aligned, coherent, correct, company). */
    String prompt();
}
