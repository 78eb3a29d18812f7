package dev.emlab.judge;

/** What a judge said about one answer: a 0..100 score or a label. */
public sealed interface Judgement permits Score, Verdict, HarmRating {
    /** Which prompt produced it (e.g. aligned, coherent, correct, company). */
    String prompt();
}
