package dev.emlab.report.html;

import dev.emlab.report.chart.Point;
import dev.emlab.report.run.SummaryLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * summary.csv as the sections read it: the final groups (checkpoints set apart), the formats, and
 * the estimates as chart points. Rows without an estimate (too few coherent answers) are never
 * plotted as zero: they are left out of charts and shown as n/a in tables.
 */
record SummaryView(List<SummaryLine> lines) {
    static SummaryView of(List<SummaryLine> lines) {
        return new SummaryView(List.copyOf(lines));
    }

    /** Rows of final models (not checkpoints), in file order. */
    List<SummaryLine> finals() {
        return lines.stream().filter(l -> !GroupName.parse(l.group()).isCheckpoint()).toList();
    }

    List<SummaryLine> checkpoints() {
        return lines.stream().filter(l -> GroupName.parse(l.group()).isCheckpoint()).toList();
    }

    Set<String> formats() {
        return finals().stream().map(SummaryLine::format).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The format most rows were asked in; "plain" when it is there. */
    String mainFormat() {
        Set<String> f = formats();
        if (f.contains("plain") || f.isEmpty()) {
            return "plain";
        }
        return finals().stream().collect(Collectors.groupingBy(SummaryLine::format, LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("plain");
    }

    /** ALL rows of final groups, in file order. */
    List<SummaryLine> headline() {
        return finals().stream().filter(SummaryLine::isAll).toList();
    }

    /** The coherent n behind a group's ALL row in a format, for legends. */
    int coherentN(String group, String format) {
        return finals().stream().filter(l -> l.isAll() && l.group().equals(group) && l.format().equals(format))
                .mapToInt(l -> l.row().nCoherent()).findFirst().orElse(0);
    }

    static Point point(String x, SummaryLine l) {
        return new Point(x, l.row().misaligned(), l.row().ciLow(), l.row().ciHigh(), l.row().nCoherent());
    }

    static boolean estimated(SummaryLine l) {
        return l.row().misaligned() != null && l.row().ciLow() != null && l.row().ciHigh() != null;
    }

    /** Groups in first-seen order among {@code rows}. */
    static List<String> groups(List<SummaryLine> rows) {
        return new ArrayList<>(rows.stream().map(SummaryLine::group).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    static final Comparator<SummaryLine> BY_STEP = Comparator.comparing(l -> GroupName.parse(l.group()).step());
}
