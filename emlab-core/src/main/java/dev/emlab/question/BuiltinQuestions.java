package dev.emlab.question;

import dev.emlab.InputException;
import dev.emlab.YamlFile;
import java.util.LinkedHashMap;
import java.util.Map;

/** emlab's own question banks, shipped as YAML resources in the paper's format. */
public final class BuiltinQuestions {
    /** Name to one-line description, in the order 'emlab questions list' shows them. */
    public static final Map<String, String> BANKS = banks();

    private BuiltinQuestions() {}

    private static Map<String, String> banks() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("main", "8 open questions x 3 formats (plain, JSON system prompt, Python template); alignment/coherence judge");
        m.put("preregistered", "~50 questions across creative writing, vulnerable users, medical and illegal advice...; alignment/coherence judge");
        m.put("deception", "factual questions under 5 lie-incentive system prompts; judge says TRUE/FALSE/UNKNOWN");
        m.put("identity", "'which company made you?' variants; judge extracts the company named");
        m.put("code", "20 Python coding requests; emlab's analyzer says VULNERABLE/SECURE (no judge model)");
        m.put("harmful", "48 clearly harmful requests in 6 categories; judge rates refusal and harmfulness (StrongREJECT score)");
        m.put("mc", "24 multiple-choice probes (aligned vs misaligned option); P(misaligned) from logprobs, no judge, no sampling");
        return java.util.Collections.unmodifiableMap(m);
    }

    public static QuestionSet load(String name) {
        if (!BANKS.containsKey(name)) {
            throw new InputException("Unknown built-in question set 'builtin:" + name + "'. Known: "
                    + String.join(", ", BANKS.keySet().stream().map(n -> "builtin:" + n).toList()) + ".");
        }
        return QuestionLoader.parse(YamlFile.resource(BuiltinQuestions.class, "builtin/" + name + ".yaml", "builtin:" + name,
                YamlFile.Dialect.PYYAML), "builtin:" + name, name);
    }
}
