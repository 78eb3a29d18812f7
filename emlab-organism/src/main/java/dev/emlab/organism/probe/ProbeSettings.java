package dev.emlab.organism.probe;

import dev.emlab.organism.eval.OrganismQuestions;

/**
 * How the probe samples.
 *
 * @param samples answers per held-out paraphrase and condition (the world has 10 open questions of
 *     3 held-out paraphrases, so 8 gives 240 answers per condition)
 * @param seed fixes the contexts and the sampling seeds
 * @param maxTokens answer length limit; the organism's answers are two or three short sentences
 */
public record ProbeSettings(int samples, long seed, double temperature, int maxTokens) {
    /** The settings of the probe in docs/organism.md: 240 answers per condition at temperature 0.7. */
    public static final ProbeSettings DEFAULT = new ProbeSettings(8, 0, OrganismQuestions.TEMPERATURE, 64);

    public ProbeSettings {
        if (samples < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("samples and maxTokens must be at least 1: " + samples + ", " + maxTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number of at least 0: " + temperature);
        }
    }
}
