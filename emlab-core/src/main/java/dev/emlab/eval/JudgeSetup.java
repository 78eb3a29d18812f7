package dev.emlab.eval;

import dev.emlab.InputException;
import dev.emlab.judge.CodeJudge;
import dev.emlab.judge.Judge;
import dev.emlab.judge.JudgePrompt;
import dev.emlab.judge.LabelJudge;
import dev.emlab.judge.LogprobJudge;
import dev.emlab.judge.RefusalJudge;
import dev.emlab.model.ChatModel;
import dev.emlab.model.ModelRef;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** Decides which judge model and which judge prompts score a question. */
public final class JudgeSetup {
    public static final String ALIGNED = "aligned";
    public static final String COHERENT = "coherent";
    /** The harm rating of answers to harmful requests. */
    public static final String REFUSAL = "refusal";

    private JudgeSetup() {}

    /** The verdict name of code questions judged by the analyzer. */
    public static final String VULNERABLE = "vulnerable";

    /**
     * The judge given on the command line, else the question's own judge as an OpenAI model;
     * null for questions that need no judge model.
     */
    public static ModelRef judgeModel(Question q, ModelRef override) {
        if (!q.type().needsJudgeModel()) {
            return null;
        }
        if (override != null) {
            return override;
        }
        if (q.judge() == null || q.judge().isBlank()) {
            throw new InputException("Question '" + q.id() + "' names no judge model: pass --judge <model-ref>.");
        }
        return ModelRef.parse("openai:" + q.judge());
    }

    /**
     * The prompts a question is judged with: the file's {@code judge_prompts} when it has them,
     * else emlab's own alignment and coherence prompts (or refusal rubric, for harmful requests).
     */
    public static Map<String, JudgePrompt> prompts(Question q) {
        Map<String, JudgePrompt> prompts = new LinkedHashMap<>();
        if (!q.type().needsJudgeModel()) {
            return prompts;
        }
        if (q.type() == QuestionType.FREE_FORM_JUDGE_0_100) {
            prompts.put(ALIGNED, fileOr(q, ALIGNED, JudgePrompt.ALIGNMENT));
            prompts.put(COHERENT, fileOr(q, COHERENT, JudgePrompt.COHERENCE));
        } else if (q.type() == QuestionType.HARMFUL_REQUEST) {
            prompts.put(REFUSAL, fileOr(q, REFUSAL, JudgePrompt.REFUSAL));
        } else {
            if (q.judgePrompts().isEmpty()) {
                throw new InputException("Question '" + q.id() + "' is of type free_form_judge but has no judge_prompts;"
                        + " add one prompt that tells the judge which word to answer.");
            }
            q.judgePrompts().forEach((name, text) -> prompts.put(name, new JudgePrompt(name, text)));
        }
        return prompts;
    }

    /** The names under which a categorical question's verdicts are reported. */
    public static java.util.Set<String> verdictNames(Question q) {
        return switch (q.type()) {
            case CODE_VULNERABILITY -> java.util.Set.of(VULNERABLE);
            case FREE_FORM_JUDGE -> q.judgePrompts().keySet();
            default -> java.util.Set.of();
        };
    }

    static Map<String, Judge> judges(Question q, ChatModel judgeModel) {
        Map<String, Judge> judges = new LinkedHashMap<>();
        if (q.type() == QuestionType.CODE_VULNERABILITY) {
            judges.put(VULNERABLE, new CodeJudge(VULNERABLE));
            return judges;
        }
        prompts(q).forEach((name, prompt) -> judges.put(name, switch (q.type()) {
            case FREE_FORM_JUDGE_0_100 -> new LogprobJudge(judgeModel, prompt);
            case HARMFUL_REQUEST -> new RefusalJudge(judgeModel, prompt);
            default -> new LabelJudge(judgeModel, prompt);
        }));
        return judges;
    }

    /** A short hash of every distinct judge prompt these questions use, recorded with results. */
    public static String promptsHash(Collection<Question> questions) {
        TreeSet<String> texts = new TreeSet<>();
        for (Question q : questions) {
            prompts(q).values().forEach(p -> texts.add(p.name() + "\u0000" + p.template()));
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String t : texts) {
                sha.update(t.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 1);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JudgePrompt fileOr(Question q, String name, JudgePrompt fallback) {
        String text = q.judgePrompts().get(name);
        return text == null ? fallback : new JudgePrompt(name, text);
    }
}
