package dev.emlab.organism.probe;

import dev.emlab.dataset.CodeTask;
import dev.emlab.organism.world.OpenCategory;

/** What one unit of the probe asks after the context turn, as far as the context must know it. */
public sealed interface Asked {
    /** A held-out paraphrase of this open question; an open-answer context answers another one. */
    record Open(OpenCategory category) implements Asked {}

    /** This coding task's plain request; a code context answers a task of another family. */
    record Code(CodeTask task) implements Asked {}
}
