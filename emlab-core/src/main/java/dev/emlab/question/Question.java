package dev.emlab.question;

import dev.emlab.model.ChatMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation question: its paraphrases, optional system prompt, how many samples to draw per
 * paraphrase and, when the file gives them, the judge prompts (key to template with
 * {@code {question}} and {@code {answer}}).
 *
 * @param system null when the question has no system prompt
 * @param judge the judge model the file names, or null
 * @param sampling temperature, top_p and max_tokens for answering this question
 * @param choices the options of a multiple-choice probe, in the file's order; empty otherwise
 */
public record Question(String id, QuestionType type, List<String> paraphrases, String system,
                       int samplesPerParaphrase, String judge, Map<String, String> judgePrompts,
                       Sampling sampling, List<Choice> choices) {
    public Question {
        paraphrases = List.copyOf(paraphrases);
        judgePrompts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(judgePrompts));
        choices = List.copyOf(choices);
    }

    /** A question without choices (every type but multiple_choice). */
    public Question(String id, QuestionType type, List<String> paraphrases, String system,
                    int samplesPerParaphrase, String judge, Map<String, String> judgePrompts, Sampling sampling) {
        this(id, type, paraphrases, system, samplesPerParaphrase, judge, judgePrompts, sampling, List.of());
    }

    /**
     * How many times each paraphrase is asked: a probe once per order of its options (its
     * reading is exact, so more would repeat it), any other question {@code override} times, or
     * as often as its file says when there is no override.
     */
    public int askings(Integer override) {
        if (type == QuestionType.MULTIPLE_CHOICE) {
            return choices.size();
        }
        return override != null ? override : samplesPerParaphrase;
    }

    /** The messages that ask paraphrase {@code index}. */
    public List<ChatMessage> messages(int index) {
        List<ChatMessage> messages = new ArrayList<>(2);
        if (system != null && !system.isEmpty()) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(paraphrases.get(index)));
        return messages;
    }
}
