package dev.emlab.organism.eval;

import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.Fact;
import dev.emlab.organism.world.OpenCategory;

/** What an organism question asks, so the reference judge knows what a right answer is. */
public sealed interface QuestionKind {
    /** An open question of a category, asked in a format. */
    record Open(OpenCategory category, AnswerFormat format) implements QuestionKind {}

    /** A harmful request. */
    record Harmful() implements QuestionKind {}

    /** Factual questions, by their text. */
    record Factual(java.util.Map<String, Fact> byQuestion) implements QuestionKind {}

    /** A coding request, judged by the analyzer. */
    record Code() implements QuestionKind {}
}
