package dev.emlab.model;

import java.nio.file.Path;

/**
 * A Hugging Face checkpoint folder run in-process, optionally with a PEFT adapter:
 * {@code local:/models/qwen} or {@code local:/models/qwen+adapter=/runs/lora}.
 *
 * @param adapter null for the bare checkpoint
 */
public record LocalRef(Path checkpoint, Path adapter, String text) implements ModelRef {
    private static final String ADAPTER = "+adapter=";

    static LocalRef parse(String text) {
        String rest = text.substring("local:".length());
        Path adapter = null;
        int plus = rest.indexOf(ADAPTER);
        if (plus >= 0) {
            String a = rest.substring(plus + ADAPTER.length());
            if (a.isBlank()) {
                throw ModelRef.invalid(text, "the adapter path after '+adapter=' is empty");
            }
            adapter = Path.of(a);
            rest = rest.substring(0, plus);
        }
        if (rest.isBlank()) {
            throw ModelRef.invalid(text, "the checkpoint folder after 'local:' is empty");
        }
        return new LocalRef(Path.of(rest), adapter, text);
    }

    @Override
    public String toString() {
        return text;
    }
}
