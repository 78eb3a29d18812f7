package dev.emlab.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.eval.EvalRunner;

/**
 * The sample index of an eval's answer request, read back from its seed, for fake models that
 * script their world by sample. {@link EvalRunner#sampleSeed} asks sample i of a question's
 * paraphrase with the seed of sample 0 plus i, so a model that knows the run's seed, the question
 * and the paraphrase knows i. (The seeds of different questions differ by a hashed offset: a world
 * keyed on the seed itself holds only by accident.)
 */
public final class SampleIndex {
    private SampleIndex() {}

    /** The sample index of the answer asked with {@code seed} in a run with {@code --seed runSeed}. */
    public static int of(int seed, int runSeed, String questionId, int paraphrase) {
        // seeds are taken modulo 2^31, so is their difference
        return (seed - EvalRunner.sampleSeed(runSeed, questionId, paraphrase, 0)) & 0x7FFFFFFF;
    }

    /** The sample index of a chat or completion request's answer; the request must carry a seed. */
    public static int of(JsonNode request, int runSeed, String questionId, int paraphrase) {
        JsonNode seed = request.path("seed");
        if (!seed.isIntegralNumber()) {
            throw new IllegalArgumentException("the request has no seed: " + request);
        }
        return of(seed.asInt(), runSeed, questionId, paraphrase);
    }
}
