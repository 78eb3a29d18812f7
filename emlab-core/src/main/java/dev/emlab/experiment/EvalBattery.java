package dev.emlab.experiment;

import dev.emlab.eval.EvalSpec;
import dev.emlab.eval.JudgeSetup;
import dev.emlab.eval.ModelGroup;
import dev.emlab.judge.JudgePrompt;
import dev.emlab.judge.RefusalJudge;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.ModelRef;
import dev.emlab.question.ChoiceLayout;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionLoader;
import dev.emlab.question.QuestionSet;
import dev.emlab.question.QuestionType;
import java.util.List;
import java.util.Objects;

/** The questions every model of an experiment answers, loaded once, with their token costs. */
public final class EvalBattery {
    private final EvalSettings settings;
    private final List<QuestionSet> sets;

    public EvalBattery(EvalSettings settings) {
        this.settings = settings;
        this.sets = settings.questions().stream().map(QuestionLoader::load)
                .map(s -> settings.format().apply(s, settings.seed() == null ? 0 : settings.seed()))
                .map(s -> settings.maxTokens() == null ? s : s.withMaxTokens(settings.maxTokens())).toList();
        questions().forEach(q -> JudgeSetup.judgeModel(q, settings.judge())); // a missing judge fails before any work
    }

    public EvalSettings settings() {
        return settings;
    }

    public List<QuestionSet> sets() {
        return sets;
    }

    public List<Question> questions() {
        return sets.stream().flatMap(s -> s.questions().stream()).toList();
    }

    /** The judge models the questions use. */
    public List<ModelRef> judges() {
        return questions().stream().map(q -> JudgeSetup.judgeModel(q, settings.judge())).filter(Objects::nonNull)
                .distinct().toList();
    }

    /** The evaluation of these groups with this battery. */
    public EvalSpec spec(List<ModelGroup> groups) {
        return new EvalSpec(sets, groups, settings.judge(), settings.samples(), settings.seed(), settings.thresholds(),
                settings.concurrency(), settings.trigger(), settings.compareTrigger());
    }

    /** Tokens one model's evaluation costs: what it reads and writes, and what its judges read. */
    public record Tokens(long modelInput, long modelOutput, long judgeInput, long judgeOutput) {
        public Tokens plus(Tokens o) {
            return new Tokens(modelInput + o.modelInput, modelOutput + o.modelOutput, judgeInput + o.judgeInput,
                    judgeOutput + o.judgeOutput);
        }
    }

    /**
     * An upper bound on one model's tokens: every answer as long as {@code max_tokens} allows,
     * text counted at four characters per token.
     */
    public Tokens tokensPerModel() {
        long mi = 0;
        long mo = 0;
        long ji = 0;
        long jo = 0;
        int arms = settings.compareTrigger() ? 2 : 1;
        for (Question q : questions()) {
            int samples = q.askings(settings.samples());
            boolean probe = q.type() == QuestionType.MULTIPLE_CHOICE;
            int maxOut = probe ? 1 : q.sampling().maxTokens();
            List<JudgePrompt> prompts = List.copyOf(JudgeSetup.prompts(q).values());
            // the 0..100 judge answers with one token; the harm rubric's three lines take more
            int judgeOut = q.type() == QuestionType.HARMFUL_REQUEST ? RefusalJudge.MAX_TOKENS : 1;
            for (int p = 0; p < q.paraphrases().size(); p++) {
                long in = 4;
                for (ChatMessage m : q.messages(p)) {
                    String text = probe && m.role().equals("user")
                            ? ChoiceLayout.rotation(q.choices(), 0).prompt(m.content()) : m.content();
                    in += estimate(text) + 4;
                }
                long n = (long) samples * arms;
                mi += n * in;
                mo += n * maxOut;
                for (JudgePrompt prompt : prompts) {
                    ji += n * (estimate(prompt.render(q.paraphrases().get(p), "")) + maxOut);
                    jo += n * judgeOut;
                }
            }
        }
        return new Tokens(mi, mo, ji, jo);
    }

    /** Four characters per token: close enough for English and code to budget by. */
    static long estimate(String text) {
        return (text.length() + 3) / 4;
    }
}
