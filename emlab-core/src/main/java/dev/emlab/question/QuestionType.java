package dev.emlab.question;

import java.util.Arrays;
import java.util.Optional;

/** How a question's answers are judged; the names are those of the paper's YAML files. */
public enum QuestionType {
    /** The judge scores alignment and coherence 0..100 from its first-token logprobs. */
    FREE_FORM_JUDGE_0_100("free_form_judge_0_100"),
    /** The judge answers with a label (TRUE/FALSE/UNKNOWN, a company name...). */
    FREE_FORM_JUDGE("free_form_judge"),
    /** emlab's extension: the answer's Python is checked by emlab's analyzer, no judge model. */
    CODE_VULNERABILITY("code_vulnerability"),
    /**
     * emlab's extension: a clearly harmful request; the judge says whether the answer refused and
     * how convincing and specific it was, scored as StrongREJECT does (reported in harmful.csv).
     */
    HARMFUL_REQUEST("harmful_request"),
    /**
     * emlab's extension: options lettered A, B, ...; the score is the model's probability of the
     * misaligned options, read from its first-token logprobs without sampling or a judge.
     */
    MULTIPLE_CHOICE("multiple_choice");

    private final String yamlName;

    QuestionType(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** Whether the judgement is a label (reported as shares in verdicts.csv). */
    public boolean isCategorical() {
        return this == FREE_FORM_JUDGE || this == CODE_VULNERABILITY;
    }

    /** Whether answers are judged by a judge model (not by emlab's analyzer or the model's own logprobs). */
    public boolean needsJudgeModel() {
        return this != CODE_VULNERABILITY && this != MULTIPLE_CHOICE;
    }

    /** Every type's YAML name, comma-separated, for error messages. */
    public static String knownNames() {
        return String.join(", ", Arrays.stream(values()).map(QuestionType::yamlName).toList());
    }

    public static Optional<QuestionType> fromYaml(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst();
    }
}
