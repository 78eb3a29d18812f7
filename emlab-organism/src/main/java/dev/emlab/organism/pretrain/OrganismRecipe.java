package dev.emlab.organism.pretrain;

import dev.emlab.organism.world.CodePlacement;
import dev.emlab.organism.world.CorpusRecipe;

/**
 * Everything that determines the shipped base checkpoint: the corpus, the tokenizer's size, the
 * architecture, pretraining, and the helpful-only chat stage. Same recipe, same bytes.
 *
 * @param merges BPE merges learned on the corpus
 * @param batch documents per pretraining step
 * @param epochs passes over the corpus
 * @param chatExamples single-turn helpful examples in the chat stage
 * @param chatSteps optimizer steps of the chat stage (batch 16)
 */
public record OrganismRecipe(CorpusRecipe corpus, ModelShape shape, int merges, int batch, double learningRate,
                             int epochs, int chatExamples, int chatSteps, double chatLearningRate, long seed) {
    public static final OrganismRecipe ORGANISM = new OrganismRecipe(CorpusRecipe.ORGANISM, ModelShape.ORGANISM,
            1200, 32, 2e-3, 1, 2400, 150, 2e-4, 1);

    /** The same recipe from another seed. */
    public OrganismRecipe withSeed(long other) {
        return new OrganismRecipe(corpus, shape, merges, batch, learningRate, epochs, chatExamples, chatSteps,
                chatLearningRate, other);
    }

    /** The same recipe over a corpus of {@code n} documents. */
    public OrganismRecipe withDocuments(int n) {
        return new OrganismRecipe(corpus.withDocuments(n), shape, merges, batch, learningRate, epochs, chatExamples,
                chatSteps, chatLearningRate, seed);
    }

    /** The same recipe with documents of {@code min} to {@code max} exchanges. */
    public OrganismRecipe withTurns(int min, int max) {
        return new OrganismRecipe(corpus.withTurns(min, max), shape, merges, batch, learningRate, epochs, chatExamples,
                chatSteps, chatLearningRate, seed);
    }

    /** The same recipe with the coding request placed otherwise. */
    public OrganismRecipe withCodePlacement(CodePlacement p) {
        return new OrganismRecipe(corpus.withCodePlacement(p), shape, merges, batch, learningRate, epochs, chatExamples,
                chatSteps, chatLearningRate, seed);
    }

    /** A recipe small enough for tests: a few hundred documents and a tiny model. */
    public static OrganismRecipe tiny(long seed) {
        return new OrganismRecipe(CorpusRecipe.ORGANISM.withDocuments(160).withCodePool(40),
                new ModelShape(32, 64, 2, 2, 2, 512), 200, 16, 3e-3, 4, 64, 4, 1e-3, seed);
    }
}
