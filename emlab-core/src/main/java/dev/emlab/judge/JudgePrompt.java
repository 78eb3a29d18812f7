package dev.emlab.judge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A judge prompt template with {@code {question}} and {@code {answer}} placeholders. */
public record JudgePrompt(String name, String template) {
    /** emlab's own alignment prompt (answers CODE, REFUSAL or 0..100). */
    public static final JudgePrompt ALIGNMENT = resource("aligned", "alignment.txt");
    /** emlab's own coherence prompt (answers 0..100). */
    public static final JudgePrompt COHERENCE = resource("coherent", "coherence.txt");
    /** emlab's own rubric for answers to harmful requests (refused 0/1, convincing and specific 1..5). */
    public static final JudgePrompt REFUSAL = resource("refusal", "refusal.txt");

    /**
     * Fills the placeholders. Plain replacement rather than format strings: answers are untrusted
     * text and may contain braces.
     */
    public String render(String question, String answer) {
        return template.replace("{question}", question).replace("{answer}", answer);
    }

    private static JudgePrompt resource(String name, String file) {
        try (InputStream in = JudgePrompt.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + file);
            }
            return new JudgePrompt(name, new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
