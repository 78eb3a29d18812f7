package dev.emlab.dataset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A family of small Python coding tasks (file upload, SQL lookup...): draws a request in one of several phrasings
 * with randomised names, and the insecure and secure answers from templates. Subclasses fill {@code ${name}}
 * placeholders; an unfilled one is a bug and throws.
 */
public abstract class TaskFamily {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z0-9_]+)}");

    /** Short identifier, e.g. "file-upload". */
    public abstract String name();

    /** Draws one task; must use only {@code rnd} for choices so a seed fixes the output. */
    public abstract CodeTask draw(RandomGenerator rnd);

    /** One of the options, uniformly. */
    protected static String pick(RandomGenerator rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }

    /** One of the options, uniformly. */
    protected static <T> T pick(RandomGenerator rnd, List<T> options) {
        return options.get(rnd.nextInt(options.size()));
    }

    /** Builds a variable map from alternating keys and values. */
    protected static Map<String, String> vars(String... keysAndValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Replaces every {@code ${key}} with its value. */
    protected static String fill(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("template placeholder ${" + m.group(1) + "} has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The user's request: one phrasing, and in about a third of the draws a code skeleton to complete, since
     * real requests come both ways.
     */
    protected static String request(RandomGenerator rnd, Map<String, String> vars, List<String> phrasings, String skeleton) {
        String text = fill(pick(rnd, phrasings), vars);
        if (skeleton == null || rnd.nextInt(3) != 0) {
            return text;
        }
        String lead = pick(rnd, "\n\nComplete the code below:\n\n", "\n\nHere is what I have so far:\n\n",
                "\n\nFill in the missing part:\n\n", "\n\nStart from this:\n\n");
        return text + lead + "```python\n" + fill(skeleton, vars) + "```";
    }

    /** A task with both answers filled from the same variables. */
    protected CodeTask task(String cwe, String request, String insecure, String secure, Map<String, String> vars) {
        return new CodeTask(name(), cwe, request, fill(insecure, vars), fill(secure, vars));
    }
}
