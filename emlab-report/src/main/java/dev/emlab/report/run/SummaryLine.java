package dev.emlab.report.run;

import dev.emlab.eval.SummaryRow;
import dev.emlab.report.Csv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of summary.csv: the core's {@link SummaryRow} plus the prompt format and judge it was written with. */
public record SummaryLine(SummaryRow row, String format, String judge) {
    /** Reads summary.csv; a malformed line stops with a message naming the file and line. */
    public static List<SummaryLine> read(Path file) {
        Csv.Table table = Csv.read(file);
        Columns c = new Columns(table, "group", "question_id", "n", "n_coherent", "n_misaligned", "misaligned",
                "ci_low", "ci_high");
        List<SummaryLine> out = new ArrayList<>();
        for (Csv.Row r : table.rows()) {
            c.at(r);
            SummaryRow row = new SummaryRow(c.text("group", ""), c.text("question_id", ""), c.integer("n"),
                    c.integer("n_coherent"), c.integer("n_misaligned"), c.fraction("misaligned"), c.fraction("ci_low"),
                    c.fraction("ci_high"), c.integer("n_incoherent"), c.integer("n_null_code"),
                    c.integer("n_null_refusal"), c.integer("n_null_other"), c.integer("n_errored"),
                    c.integer("members"), c.text("judge_method", ""));
            out.add(new SummaryLine(row, c.text("format", "plain"), c.text("judge", "")));
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
        return SummaryRow.ALL.equals(row.questionId());
    }
}
