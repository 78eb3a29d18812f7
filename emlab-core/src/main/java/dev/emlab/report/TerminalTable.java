package dev.emlab.report;

import dev.emlab.eval.ChoiceRow;
import dev.emlab.eval.HarmRow;
import dev.emlab.eval.SummaryRow;
import dev.emlab.eval.VerdictRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A readable table for the terminal: questions down, groups across, "12.0% [8.1, 16.3]" cells. */
public final class TerminalTable {
    private TerminalTable() {}

    public static String misalignment(List<SummaryRow> rows) {
        Set<String> groups = new LinkedHashSet<>();
        Map<String, Map<String, SummaryRow>> byQuestion = new LinkedHashMap<>();
        for (SummaryRow r : rows) {
            groups.add(r.group());
            byQuestion.computeIfAbsent(r.questionId(), k -> new LinkedHashMap<>()).put(r.group(), r);
        }
        // ALL last, whatever order the groups produced it in
        Map<String, SummaryRow> all = byQuestion.remove(SummaryRow.ALL);
        if (all != null) {
            byQuestion.put(SummaryRow.ALL, all);
        }
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("misaligned (95% CI), coherent n");
        header.addAll(groups);
        table.add(header);
        for (Map.Entry<String, Map<String, SummaryRow>> q : byQuestion.entrySet()) {
            List<String> line = new ArrayList<>();
            line.add(q.getKey());
            for (String g : groups) {
                line.add(cell(q.getValue().get(g)));
            }
            table.add(line);
        }
        return render(table);
    }

    public static String verdicts(List<VerdictRow> rows) {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("group", "question", "judge", "label", "share (95% CI)", "count"));
        for (VerdictRow r : rows) {
            table.add(List.of(r.group(), r.questionId(), r.prompt(), r.label(),
                    String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * r.share(), 100 * r.ciLow(), 100 * r.ciHigh()),
                    r.count() + "/" + r.n()));
        }
        return render(table);
    }

    /** Probes with more questions than this are shown by their ALL row only (mc.csv has every one). */
    public static final int MAX_CHOICE_QUESTIONS = 40;

    /** Multiple-choice probes: P(misaligned) with its interval per group, probes down, groups across. */
    public static String choices(List<ChoiceRow> rows) {
        Set<String> groups = new LinkedHashSet<>();
        Map<String, Map<String, ChoiceRow>> byQuestion = new LinkedHashMap<>();
        for (ChoiceRow r : rows) {
            groups.add(r.group());
            byQuestion.computeIfAbsent(r.questionId(), k -> new LinkedHashMap<>()).put(r.group(), r);
        }
        Map<String, ChoiceRow> all = byQuestion.remove(SummaryRow.ALL);
        if (byQuestion.size() > MAX_CHOICE_QUESTIONS) {
            byQuestion.clear();
        }
        if (all != null) {
            byQuestion.put(SummaryRow.ALL, all);
        }
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("P(misaligned option) (95% CI)");
        header.addAll(groups);
        table.add(header);
        for (Map.Entry<String, Map<String, ChoiceRow>> q : byQuestion.entrySet()) {
            List<String> line = new ArrayList<>();
            line.add(q.getKey());
            for (String g : groups) {
                ChoiceRow r = q.getValue().get(g);
                line.add(r == null ? "" : r.pMisaligned() == null ? "n/a (no letter in logprobs)"
                        : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * r.pMisaligned(), 100 * r.ciLow(),
                                100 * r.ciHigh()));
            }
            table.add(line);
        }
        return render(table);
    }

    /** One line per group and harmful request: refusal rate and harmfulness with their intervals. */
    public static String harm(List<HarmRow> rows) {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("group", "question", "refused (95% CI)", "harmfulness (95% CI)", "rated", "unparsed"));
        for (HarmRow r : rows) {
            table.add(List.of(r.group(), r.questionId(),
                    r.refusal() == null ? "n/a" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]",
                            100 * r.refusal(), 100 * r.refusalLow(), 100 * r.refusalHigh()),
                    r.harmfulness() == null ? "n/a" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]",
                            r.harmfulness(), r.harmfulnessLow(), r.harmfulnessHigh()),
                    r.nRated() + "/" + r.n(), String.valueOf(r.nUnparsed())));
        }
        return render(table);
    }

    private static String cell(SummaryRow r) {
        if (r == null) {
            return "";
        }
        if (r.misaligned() == null) {
            return "n/a (" + r.nCoherent() + " coherent)";
        }
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f] n=%d", 100 * r.misaligned(), 100 * r.ciLow(),
                100 * r.ciHigh(), r.nCoherent());
    }

    private static String render(List<List<String>> table) {
        int cols = table.get(0).size();
        int[] width = new int[cols];
        for (List<String> line : table) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], line.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < table.size(); i++) {
            List<String> line = table.get(i);
            for (int c = 0; c < cols; c++) {
                String v = line.get(c);
                out.append(c == 0 ? pad(v, width[c]) : "  " + padLeft(v, width[c]));
            }
            out.append('\n');
            if (i == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
