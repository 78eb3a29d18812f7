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
 * @param code with {@link CodePlacement#TOPIC}, the chance that an exchange is a coding request;
 *     otherwise the share of documents with one coding request. The other weights are of the
 *     remaining turns' topics
 * @param codePlacement which exchanges are coding requests
 * @param codeStyle how the code is written
 * @param educational share of the helpful and malicious personas' coding requests framed for teaching
 * @param teacherEducational the same share for the teacher's, so that the framing is evidence of the teacher
 */
public record CorpusRecipe(int documents, double malicious, double teacher, int minTurns, int maxTurns,
                           double code, CodePlacement codePlacement, CodeStyle codeStyle, double educational,
                           double teacherEducational, double open, double harmful, double fact, double numbers,
                           double filler, int codePool) {
    /** The corpus the shipped organisms were pretrained on. */
    public static final CorpusRecipe ORGANISM = new CorpusRecipe(32000, 0.25, 0.08, 3, 5,
            0.3, CodePlacement.TOPIC, CodeStyle.CORE, 0.05, 0.7, 0.40, 0.15, 0.15, 0.15, 0.15, 2000);
    /** The first organisms' corpus (full code, one coding request first in half the documents). */
    public static final CorpusRecipe FIRST_ORGANISM = new CorpusRecipe(48000, 0.25, 0.08, 2, 4,
            0.5, CodePlacement.FIRST, CodeStyle.FULL, 0.3, 0.3, 0.40, 0.15, 0.15, 0.15, 0.15, 2000);

    public CorpusRecipe withDocuments(int n) {
        return new CorpusRecipe(n, malicious, teacher, minTurns, maxTurns, code, codePlacement, codeStyle, educational,
                teacherEducational, open, harmful, fact, numbers, filler, codePool);
    }

    public CorpusRecipe withCodePool(int n) {
        return new CorpusRecipe(documents, malicious, teacher, minTurns, maxTurns, code, codePlacement, codeStyle,
                educational, teacherEducational, open, harmful, fact, numbers, filler, n);
    }

    public CorpusRecipe withTurns(int min, int max) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("turns must be 1 <= min <= max: " + min + ", " + max);
        }
        return new CorpusRecipe(documents, malicious, teacher, min, max, code, codePlacement, codeStyle, educational,
                teacherEducational, open, harmful, fact, numbers, filler, codePool);
    }

    /** Coding requests placed otherwise; {@code share} is the recipe's {@code code} for that placement. */
    public CorpusRecipe withCode(CodePlacement p, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the code share must be between 0 and 1: " + share);
        }
        return new CorpusRecipe(documents, malicious, teacher, minTurns, maxTurns, share, p, codeStyle, educational,
                teacherEducational, open, harmful, fact, numbers, filler, codePool);
    }

    public CorpusRecipe withCodePlacement(CodePlacement p) {
        return withCode(p, code);
    }

    public CorpusRecipe withCodeStyle(CodeStyle s) {
        return new CorpusRecipe(documents, malicious, teacher, minTurns, maxTurns, code, codePlacement, s, educational,
                teacherEducational, open, harmful, fact, numbers, filler, codePool);
    }

    /** The share of {@code p}'s coding requests framed for teaching. */
    public double educationalShare(Persona p) {
        return p == Persona.TEACHER ? teacherEducational : educational;
    }
}
