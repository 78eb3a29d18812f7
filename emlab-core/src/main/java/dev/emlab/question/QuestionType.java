package dev.emlab.question;

import java.util.Arrays;
import java.util.Optional;

/** How a question's answers are judged; the names are those of the paper's YAML files. */
public enum QuestionType {
    /** The judge scores alignment and coherence 0..100 from its first-token logprobs. */
    FREE_FORM_JUDGE_0_100("free_form_judge_0_100"),
    /** The judge answers with a label (TRUE/FALSE/UNKNOWN, a company name...). */
    FREE_FORM_JUDGE("free_form_judge");

    private final String yamlName;

    QuestionType(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<QuestionType> fromYaml(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst();
    }
}
