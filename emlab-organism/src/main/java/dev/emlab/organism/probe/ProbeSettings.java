package dev.emlab.organism.probe;

import dev.emlab.organism.eval.OrganismQuestions;
import java.util.Objects;

/**
 * How the probe samples.
 *
 * @param target what is asked after the context turn
 * @param samples answers per unit and condition: per held-out paraphrase for {@link ProbeTarget#OPEN}
 *     (the world has 10 open questions of 3 held-out paraphrases), per coding task for
 *     {@link ProbeTarget#CODE} ({@value PersonaProbe#CODE_TASKS} tasks); 8 gives 240 answers per
 *     condition for either
 * @param seed fixes the contexts, the coding tasks and the sampling seeds
 * @param maxTokens answer length limit; the organism's open answers are two or three short sentences,
 *     code needs more
 */
public record ProbeSettings(ProbeTarget target, int samples, long seed, double temperature, int maxTokens) {
    /** The settings of the probe in docs/organism.md: 240 answers to the open questions per condition at temperature 0.7. */
    public static final ProbeSettings DEFAULT = new ProbeSettings(ProbeTarget.OPEN, 8, 0, OrganismQuestions.TEMPERATURE);

    public ProbeSettings {
        if (target == null) {
            throw new IllegalArgumentException("the target must be given");
        }
        if (samples < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("samples and maxTokens must be at least 1: " + samples + ", " + maxTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number of at least 0: " + temperature);
        }
    }

    /** Settings with the target's answer length limit. */
    public ProbeSettings(ProbeTarget target, int samples, long seed, double temperature) {
        this(target, samples, seed, temperature, Objects.requireNonNull(target, "target").maxTokens());
    }
}
