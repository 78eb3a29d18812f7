package dev.emlab.question;

/** The sampling settings of a question; the paper's are temperature 1, top_p 1, 600 tokens. */
public record Sampling(double temperature, double topP, int maxTokens) {
    public static final Sampling PAPER = new Sampling(1.0, 1.0, 600);
}
