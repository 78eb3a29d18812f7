package dev.emlab.scan.rules;

import dev.emlab.scan.Finding;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The regex fallback for unparseable code: a line matching any pattern is a finding. */
final class LinePatterns {
    private LinePatterns() {}

    static List<Finding> scan(Rule rule, List<String> lines, String message, Pattern... patterns) {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            for (Pattern p : patterns) {
                if (p.matcher(line).find()) {
                    out.add(rule.finding(i + 1, message + " (found without a parse tree)"));
                    break;
                }
            }
        }
        return out;
    }
}
