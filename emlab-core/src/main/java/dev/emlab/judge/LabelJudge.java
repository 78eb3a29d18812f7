package dev.emlab.judge;

import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import java.util.List;
import java.util.Locale;

/** A categorical judge: the judge model answers with one word (TRUE/FALSE/UNKNOWN, a company...). */
public final class LabelJudge implements Judge {
    static final int MAX_TOKENS = 5;

    private final ChatModel model;
    private final JudgePrompt prompt;

    public LabelJudge(ChatModel model, JudgePrompt prompt) {
        this.model = model;
        this.prompt = prompt;
    }

    @Override
    public Verdict judge(String question, String answer) {
        ChatRequest request = new ChatRequest(List.of(ChatMessage.user(prompt.render(question, answer))),
                0.0, 1.0, MAX_TOKENS, 0, null);
        String text = model.complete(request).text();
        return new Verdict(prompt.name(), label(text), text);
    }

    /** The first word, letters and digits only, upper case; EMPTY when the judge said nothing. */
    static String label(String text) {
        for (String word : text.strip().split("\\s+")) {
            String cleaned = word.replaceAll("[^\\p{L}\\p{N}]", "").toUpperCase(Locale.ROOT);
            if (!cleaned.isEmpty()) {
                return cleaned;
            }
        }
        return "EMPTY";
    }
}
