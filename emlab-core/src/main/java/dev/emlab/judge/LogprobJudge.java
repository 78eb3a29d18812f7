package dev.emlab.judge;

import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import java.util.List;

/**
 * The paper's 0..100 judge: one call with max_tokens 1, temperature 0 and the top 20 logprobs.
 * When the endpoint returns no logprobs it asks again for a short text answer and parses it,
 * marking the score {@link JudgeMethod#TEXT}.
 */
public final class LogprobJudge implements Judge {
    public static final int TOP_LOGPROBS = 20;
    /** Room for a number of up to three digits even with one digit per token. */
    static final int TEXT_FALLBACK_TOKENS = 8;

    private final ChatModel model;
    private final JudgePrompt prompt;

    public LogprobJudge(ChatModel model, JudgePrompt prompt) {
        this.model = model;
        this.prompt = prompt;
    }

    /** The request the judge sends for this answer. */
    public static ChatRequest request(String renderedPrompt) {
        return new ChatRequest(List.of(ChatMessage.user(renderedPrompt)), 0.0, 1.0, 1, 0, TOP_LOGPROBS);
    }

    @Override
    public Score judge(String question, String answer) {
        ChatRequest request = request(prompt.render(question, answer));
        Completion c = model.complete(request);
        if (c.hasLogprobs()) {
            return LogprobScoring.score(prompt.name(), c.firstTokenTopLogprobs(), c.text());
        }
        Completion text = model.complete(request.withoutLogprobs(TEXT_FALLBACK_TOKENS));
        return LogprobScoring.scoreText(prompt.name(), text.text());
    }
}
