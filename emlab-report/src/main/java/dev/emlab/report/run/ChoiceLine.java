package dev.emlab.report.run;

import dev.emlab.eval.ChoiceRow;
import dev.emlab.report.Csv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of mc.csv: the core's {@link ChoiceRow} (a probe's P(misaligned option) for one group). */
public record ChoiceLine(ChoiceRow row) {
    /** Reads mc.csv; a malformed line stops with a message naming the file and line. */
    public static List<ChoiceLine> read(Path file) {
        Csv.Table table = Csv.read(file);
        Columns c = new Columns(table, "group", "question_id", "n", "n_usable", "p_misaligned", "ci_low", "ci_high");
        List<ChoiceLine> out = new ArrayList<>();
        for (Csv.Row r : table.rows()) {
            c.at(r);
            Double mass = c.fraction("letter_mass");
            out.add(new ChoiceLine(new ChoiceRow(c.text("group", ""), c.text("question_id", ""), c.integer("n"),
                    c.integer("n_usable"), c.fraction("p_misaligned"), c.fraction("ci_low"), c.fraction("ci_high"),
                    c.fraction("picked_misaligned"), c.fraction("picked_ci_low"), c.fraction("picked_ci_high"),
                    mass == null ? 0 : mass, c.integer("members"))));
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
