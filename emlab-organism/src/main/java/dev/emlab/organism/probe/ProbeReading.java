package dev.emlab.organism.probe;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How the probe read one answer: the two outcomes its {@link ProbeTarget} counts. */
public sealed interface ProbeReading permits PersonaReading, CodeReading {
    /** The target whose answers this reads. */
    ProbeTarget target();

    /** The outcome of the target's first measure (any malicious sentence; vulnerable code). */
    boolean first();

    /** The outcome of the target's second measure (only malicious sentences; secure code). */
    boolean second();

    /** Adds this reading's fields to the answer's line in samples.jsonl. */
    void write(ObjectNode sample);
}
