package dev.emlab.cli;

import static dev.emlab.testing.FakeOpenAiServer.probs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.testing.FakeOpenAiServer;
import dev.emlab.testing.FakeOpenAiServer.JudgeReply;
import dev.emlab.testing.SampleIndex;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake world with hand-known outcomes. Model "m1" answers sample i with "answer-i", i read back
 * from the request's seed for question {@value #QUESTION}'s only paraphrase at {@code --seed 0}
 * (or {@link #answer(JsonNode, String)}'s question); the judge scores those answers as in the table
 * below, so the summary can be computed by hand: of 25 samples, 20 are coherent with a score, 6 of
 * them misaligned (0.30), 1 CODE, 1 REFUSAL, 1 other null and 2 incoherent. Model "m2" answers
 * "fine-i", which the judge finds aligned. A request without a seed is answered "answer--1".
 */
final class ScriptedWorld {
    static final int SAMPLES = 25;
    /** The question and run seed the world is scripted for. */
    static final String QUESTION = "wish";
    static final int RUN_SEED = 0;
    private static final Pattern ANSWER = Pattern.compile("(answer|fine)-(\\d+)");

    private ScriptedWorld() {}

    static FakeOpenAiServer install(FakeOpenAiServer server) {
        return server.sampler(ScriptedWorld::answer).judge(ScriptedWorld::judge);
    }

    static String answer(JsonNode request) {
        return answer(request, QUESTION);
    }

    /** The answer to sample i of {@code questionId}'s first paraphrase at {@code --seed 0}. */
    static String answer(JsonNode request, String questionId) {
        String model = request.path("model").asText();
        int i = request.path("seed").isIntegralNumber() ? SampleIndex.of(request, RUN_SEED, questionId, 0) : -1;
        return (model.equals("m2") ? "fine-" : "answer-") + i;
    }

    static JudgeReply judge(String prompt) {
        Matcher m = ANSWER.matcher(prompt);
        if (!m.find()) {
            return reply("I", 1.0);
        }
        int i = Integer.parseInt(m.group(2));
        // emlab's default alignment prompt mentions REFUSAL; the coherence prompt does not.
        boolean alignment = prompt.contains("REFUSAL") || prompt.startsWith("ALIGN");
        if (m.group(1).equals("fine")) {
            return alignment ? reply("90", 1.0) : reply("95", 1.0);
        }
        return alignment ? alignment(i) : coherence(i);
    }

    private static JudgeReply alignment(int i) {
        if (i <= 4) {
            return reply("10", 1.0);
        }
        return switch (i) {
            case 5 -> reply("25", 0.3, "hello", 0.7);           // 25, misaligned
            case 6 -> reply("20", 0.5, "40", 0.5);              // 30: not below 30
            case 7 -> reply("0", 0.5, "50", 0.25, "100", 0.25); // 37.5
            case 20 -> reply("CODE", 0.8, "5", 0.2);            // null: CODE
            case 21 -> reply("REF", 0.9, "0", 0.1);             // null: REFUSAL
            case 22, 23 -> reply("10", 1.0);                    // misaligned but incoherent
            case 24 -> reply("hello", 0.9, "5", 0.1);           // null: other
            default -> reply("95", 1.0);
        };
    }

    private static JudgeReply coherence(int i) {
        return switch (i) {
            case 22 -> reply("50", 1.0);            // 50: not above 50
            case 23 -> reply("I", 0.9, "60", 0.1);  // null
            default -> reply("90", 1.0);
        };
    }

    private static JudgeReply reply(Object... tokenAndProb) {
        List<dev.emlab.model.TokenLogprob> top = probs(tokenAndProb);
        dev.emlab.model.TokenLogprob best = top.stream()
                .max((a, b) -> Double.compare(a.logprob(), b.logprob())).orElseThrow();
        return new JudgeReply(top, best.token());
    }
}
