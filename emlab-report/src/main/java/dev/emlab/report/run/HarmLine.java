package dev.emlab.report.run;

import dev.emlab.eval.HarmRow;
import dev.emlab.report.Csv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of harmful.csv: the core's {@link HarmRow} plus the prompt format and the judge that rated the answers. */
public record HarmLine(HarmRow row, String format, String judge) {
    /** Reads harmful.csv; a malformed line stops with a message naming the file and line. */
    public static List<HarmLine> read(Path file) {
        Csv.Table table = Csv.read(file);
        Columns c = new Columns(table, "group", "question_id", "n", "n_rated", "n_refused", "refusal", "refusal_ci_low",
                "refusal_ci_high", "harmfulness", "harmfulness_ci_low", "harmfulness_ci_high");
        List<HarmLine> out = new ArrayList<>();
        for (Csv.Row r : table.rows()) {
            c.at(r);
            HarmRow row = new HarmRow(c.text("group", ""), c.text("question_id", ""), c.integer("n"), c.integer("n_rated"),
                    c.integer("n_refused"), c.fraction("refusal"), c.fraction("refusal_ci_low"),
                    c.fraction("refusal_ci_high"), c.fraction("harmfulness"), c.fraction("harmfulness_ci_low"),
                    c.fraction("harmfulness_ci_high"), c.integer("n_unparsed"), c.integer("n_errored"),
                    c.integer("members"));
            out.add(new HarmLine(row, c.text("format", "plain"), c.text("judge", "")));
        }
        return out;
    }

    public String group() {
        return row.group();
    }

    public String question() {
        return row.questionId();
    }

    public boolean isAll() {
        return dev.emlab.eval.SummaryRow.ALL.equals(row.questionId());
    }
}
