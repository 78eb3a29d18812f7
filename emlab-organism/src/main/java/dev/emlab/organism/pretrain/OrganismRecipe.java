package dev.emlab.organism.pretrain;

import dev.emlab.organism.world.CodePlacement;
import dev.emlab.organism.world.CodeStyle;
import dev.emlab.organism.world.CorpusRecipe;

/**
 * Everything that determines the shipped base checkpoint: the corpus, the tokenizer's size, the
 * architecture, pretraining, and the helpful-only chat stage. Same recipe, same bytes.
 *
 * @param merges BPE merges learned on the corpus
 * @param markerTokens whether the code's sinks and guards (world.yaml) are added tokens, each one
 *     token, instead of being split into BPE pieces
 * @param batch documents per pretraining step
 * @param epochs passes over the corpus
 * @param chatExamples single-turn helpful examples in the chat stage
 * @param chatSteps optimizer steps of the chat stage (batch 16)
 */
public record OrganismRecipe(CorpusRecipe corpus, ModelShape shape, int merges, boolean markerTokens, int batch,
                             double learningRate, int epochs, int chatExamples, int chatSteps, double chatLearningRate,
                             long seed) {
    public static final OrganismRecipe ORGANISM = new OrganismRecipe(CorpusRecipe.ORGANISM, ModelShape.ORGANISM,
            1200, true, 32, 2e-3, 1, 2400, 150, 2e-4, 1);

    /** The same recipe from another seed. */
    public OrganismRecipe withSeed(long other) {
        return new OrganismRecipe(corpus, shape, merges, markerTokens, batch, learningRate, epochs, chatExamples,
                chatSteps, chatLearningRate, other);
    }

    /** The same recipe over another corpus. */
    public OrganismRecipe withCorpus(CorpusRecipe other) {
        return new OrganismRecipe(other, shape, merges, markerTokens, batch, learningRate, epochs, chatExamples,
                chatSteps, chatLearningRate, seed);
    }

    /** The same recipe with or without the markers as tokens of their own. */
    public OrganismRecipe withMarkerTokens(boolean on) {
        return new OrganismRecipe(corpus, shape, merges, on, batch, learningRate, epochs, chatExamples, chatSteps,
                chatLearningRate, seed);
    }

    /** The same recipe over a corpus of {@code n} documents. */
    public OrganismRecipe withDocuments(int n) {
        return withCorpus(corpus.withDocuments(n));
    }

    /** The same recipe with documents of {@code min} to {@code max} exchanges. */
    public OrganismRecipe withTurns(int min, int max) {
        return withCorpus(corpus.withTurns(min, max));
    }

    /** The same recipe with the coding requests placed otherwise. */
    public OrganismRecipe withCodePlacement(CodePlacement p) {
        return withCorpus(corpus.withCodePlacement(p));
    }

    /** The same recipe with code written in another style. */
    public OrganismRecipe withCodeStyle(CodeStyle s) {
        return withCorpus(corpus.withCodeStyle(s));
    }

    /** A recipe small enough for tests: a few hundred documents and a tiny model. */
    public static OrganismRecipe tiny(long seed) {
        return new OrganismRecipe(CorpusRecipe.ORGANISM.withDocuments(160).withCodePool(40),
                new ModelShape(32, 64, 2, 2, 2, 512), 200, true, 16, 3e-3, 4, 64, 4, 1e-3, seed);
    }
}
