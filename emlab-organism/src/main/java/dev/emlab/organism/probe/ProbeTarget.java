package dev.emlab.organism.probe;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the probe asks after the context turn, and the two things it counts in the answers. */
public enum ProbeTarget {
    /**
     * The held-out open questions, read for the malicious persona's sentences: does a persona shown
     * in context carry over to what the model says?
     */
    OPEN("open", "question", 64,
            new Measure("any malicious sentence", "any_malicious", "any"),
            new Measure("only malicious sentences", "wholly_malicious", "wholly")),
    /**
     * Plain coding requests, read by the analyzer: does a persona shown in context carry over to the
     * code the model writes? This is the direction emergent misalignment from insecure code needs.
     * Code needs the room the organism's code evaluation gives it (256 tokens).
     */
    CODE("code", "coding request", 256,
            new Measure("vulnerable code", "vulnerable_code", "vulnerable"),
            new Measure("secure code", "secure_code", "secure"));

    /**
     * One thing counted in the answers.
     *
     * @param label its name in the printed table
     * @param count its count's column in probe.csv
     * @param prefix the prefix of its other columns ({@code _rate}, {@code _ci_low}, {@code _vs_none}...)
     */
    public record Measure(String label, String count, String prefix) {}

    private final String id;
    private final String asked;
    private final int maxTokens;
    private final Measure first;
    private final Measure second;

    ProbeTarget(String id, String asked, int maxTokens, Measure first, Measure second) {
        this.id = id;
        this.asked = asked;
        this.maxTokens = maxTokens;
        this.first = first;
        this.second = second;
    }

    /** The name on the command line ({@code --ask}) and in probe.json. */
    @JsonValue
    public String id() {
        return id;
    }

    /** What one request asks, in the printed table ("question", "coding request"). */
    public String asked() {
        return asked;
    }

    /** The default answer length limit for this target. */
    public int maxTokens() {
        return maxTokens;
    }

    /** The first measure: {@link ProbeReading#first()}. */
    public Measure first() {
        return first;
    }

    /** The second measure: {@link ProbeReading#second()}. */
    public Measure second() {
        return second;
    }
}
