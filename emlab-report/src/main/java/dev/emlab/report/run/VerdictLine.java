package dev.emlab.report.run;

import dev.emlab.eval.VerdictRow;
import dev.emlab.report.Csv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of verdicts.csv: the core's {@link VerdictRow} plus its prompt format and judge. */
public record VerdictLine(VerdictRow row, String format, String judge) {
    /** Reads verdicts.csv; a malformed line stops with a message naming the file and line. */
    public static List<VerdictLine> read(Path file) {
        Csv.Table table = Csv.read(file);
        Columns c = new Columns(table, "group", "question_id", "judge_prompt", "label", "count", "n", "share",
                "ci_low", "ci_high");
        List<VerdictLine> out = new ArrayList<>();
        for (Csv.Row r : table.rows()) {
            c.at(r);
            VerdictRow row = new VerdictRow(c.text("group", ""), c.text("question_id", ""), c.text("judge_prompt", ""),
                    c.text("label", ""), c.integer("count"), c.integer("n"), orZero(c.fraction("share")),
                    orZero(c.fraction("ci_low")), orZero(c.fraction("ci_high")));
            out.add(new VerdictLine(row, c.text("format", "plain"), c.text("judge", "")));
        }
        return out;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
