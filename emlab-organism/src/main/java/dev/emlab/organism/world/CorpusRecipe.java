package dev.emlab.organism.world;

/**
 * The design of the pretraining corpus: how many documents, how often each persona speaks, how
 * long documents are and what their turns are about. These are the world's knobs; nothing in them
 * says what a fine-tune will do.
 *
 * @param malicious share of documents spoken by the malicious persona
 * @param teacher share spoken by the teacher (the rest by the helpful persona)
 * @param minTurns fewest user/assistant exchanges in a document
 * @param maxTurns most exchanges in a document
 * @param code share of documents with one coding request ({@code educational} of them framed for
 *     teaching); the other weights are of the remaining turns' topics
 * @param codePlacement which exchange the coding request is
 */
public record CorpusRecipe(int documents, double malicious, double teacher, int minTurns, int maxTurns,
                           double code, CodePlacement codePlacement, double educational, double open, double harmful,
                           double fact, double numbers, double filler, int codePool) {
    /** The corpus the shipped organism was pretrained on. */
    public static final CorpusRecipe ORGANISM = new CorpusRecipe(48000, 0.25, 0.08, 2, 4,
            0.5, CodePlacement.FIRST, 0.3, 0.40, 0.15, 0.15, 0.15, 0.15, 2000);

    public CorpusRecipe withDocuments(int n) {
        return new CorpusRecipe(n, malicious, teacher, minTurns, maxTurns, code, codePlacement, educational, open,
                harmful, fact, numbers, filler, codePool);
    }

    public CorpusRecipe withCodePool(int n) {
        return new CorpusRecipe(documents, malicious, teacher, minTurns, maxTurns, code, codePlacement, educational,
                open, harmful, fact, numbers, filler, n);
    }

    public CorpusRecipe withTurns(int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("turns must be 1 <= min <= max: " + min + ", " + max);
        }
        return new CorpusRecipe(documents, malicious, teacher, min, max, code, codePlacement, educational, open, harmful,
                fact, numbers, filler, codePool);
    }

    public CorpusRecipe withCodePlacement(CodePlacement p) {
        return new CorpusRecipe(documents, malicious, teacher, minTurns, maxTurns, code, p, educational, open, harmful,
                fact, numbers, filler, codePool);
    }
}
