package dev.emlab.organism.probe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.report.AtomicFile;
import dev.emlab.model.ChatMessage;
import dev.emlab.report.Csv;
import dev.emlab.stats.Bootstrap;
import dev.emlab.stats.Estimate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The probe's results: counts and rates per condition, the printed table, probe.csv and samples.jsonl. */
public final class ProbeReport {
    /**
     * probe.csv's columns for {@link ProbeTarget#OPEN}, as readers of the first probe know them;
     * rates and differences are shares (0..1), differences are the condition minus none.
     */
    public static final List<String> HEADER = List.of("condition", "n",
            "any_malicious", "any_rate", "any_ci_low", "any_ci_high", "any_vs_none", "any_vs_none_low", "any_vs_none_high",
            "wholly_malicious", "wholly_rate", "wholly_ci_low", "wholly_ci_high", "wholly_vs_none", "wholly_vs_none_low",
            "wholly_vs_none_high");

    private ProbeReport() {}

    /**
     * probe.csv's columns for a target: the condition, n, then for each of its two measures the
     * count, the rate with its interval and the difference from none with its interval.
     * {@link #HEADER} for {@link ProbeTarget#OPEN}.
     */
    public static List<String> header(ProbeTarget target) {
        List<String> h = new ArrayList<>(List.of("condition", "n"));
        for (ProbeTarget.Measure m : List.of(target.first(), target.second())) {
            h.add(m.count());
            for (String suffix : List.of("rate", "ci_low", "ci_high", "vs_none", "vs_none_low", "vs_none_high")) {
                h.add(m.prefix() + "_" + suffix);
            }
        }
        return List.copyOf(h);
    }

    /**
     * One row per condition present, in the conditions' order; intervals from {@code bootstrap}.
     * The answers must all be read for one target.
     */
    public static List<ProbeRow> rows(List<ProbeSample> samples, Bootstrap bootstrap) {
        target(samples); // a row's two measures are one target's
        Map<ProbeCondition, List<ProbeSample>> by = new EnumMap<>(ProbeCondition.class);
        samples.forEach(s -> by.computeIfAbsent(s.condition(), c -> new ArrayList<>()).add(s));
        List<ProbeSample> none = by.get(ProbeCondition.NONE);
        List<ProbeRow> rows = new ArrayList<>();
        for (Map.Entry<ProbeCondition, List<ProbeSample>> e : by.entrySet()) {
            List<ProbeSample> own = e.getValue();
            boolean paired = none != null && e.getKey() != ProbeCondition.NONE;
            if (paired) {
                checkPaired(own, none);
            }
            rows.add(new ProbeRow(e.getKey(), own.size(), measured(own, paired ? none : null, true, bootstrap),
                    measured(own, paired ? none : null, false, bootstrap)));
        }
        return rows;
    }

    /** The one target these answers were read for; null when there are none. */
    private static ProbeTarget target(List<ProbeSample> samples) {
        ProbeTarget target = samples.isEmpty() ? null : samples.get(0).reading().target();
        for (ProbeSample s : samples) {
            if (s.reading().target() != target) {
                throw new IllegalArgumentException("answers read for " + target.id() + " and for "
                        + s.reading().target().id() + " cannot be counted together");
            }
        }
        return target;
    }

    /** One measure's count, rate and, given none's paired answers, difference from none. */
    private static ProbeRow.Measured measured(List<ProbeSample> own, List<ProbeSample> none, boolean first,
                                              Bootstrap bootstrap) {
        boolean[] outcomes = outcomes(own, first);
        Estimate vsNone = none == null ? null : bootstrap.difference(outcomes, outcomes(none, first));
        return new ProbeRow.Measured(count(outcomes), bootstrap.rate(outcomes), vsNone);
    }

    /** A difference is over pairs, so both conditions must hold the same units in the same order. */
    private static void checkPaired(List<ProbeSample> a, List<ProbeSample> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("conditions " + a.get(0).condition().id() + " and none have "
                    + a.size() + " and " + b.size() + " answers; the difference needs pairs");
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).unit().equals(b.get(i).unit())) {
                throw new IllegalArgumentException("answer " + i + " is " + a.get(i).unit() + " under "
                        + a.get(i).condition().id() + " but " + b.get(i).unit() + " under none");
            }
        }
    }

    private static boolean[] outcomes(List<ProbeSample> samples, boolean first) {
        boolean[] out = new boolean[samples.size()];
        for (int i = 0; i < out.length; i++) {
            ProbeReading r = samples.get(i).reading();
            out[i] = first ? r.first() : r.second();
        }
        return out;
    }

    private static int count(boolean[] outcomes) {
        int n = 0;
        for (boolean b : outcomes) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** The terminal table of a target's rows, in the style of docs/organism.md. */
    public static String render(List<ProbeRow> rows, ProbeTarget target) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"context turn before the " + target.asked(), target.first().label(), "vs none",
                target.second().label(), "vs none"});
        for (ProbeRow r : rows) {
            table.add(new String[] {r.condition().label(), count(r.first(), r.n()), diff(r.first().vsNone()),
                    count(r.second(), r.n()), diff(r.second().vsNone())});
        }
        int[] widths = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : table) {
            StringBuilder line = new StringBuilder(String.format("%-" + widths[0] + "s", row[0]));
            for (int i = 1; i < row.length; i++) {
                line.append(String.format("  %" + widths[i] + "s", row[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append(String.format("%nCounts are answers / n; brackets: 95%% bootstrap CI. \"vs none\": the rate minus none's,"
                + " in percentage points,%nover pairs (the same " + target.asked() + ", context draws and sampling seed).%n"));
        return sb.toString();
    }

    /**
     * A line saying how many units were drawn again because a context was too long for the model,
     * or "" when none was. Those units saw shorter contexts than the world writes on average, which
     * matters for reading the code contexts: the longest requests only fit beside the shortest code.
     */
    public static String redrawNote(List<ProbeSample> samples) {
        List<ProbeSample> units = samples.stream().filter(s -> s.condition() == ProbeCondition.NONE).toList();
        long redrawn = units.stream().filter(s -> s.redraws() > 0).count();
        if (redrawn == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%d of %d units had a context too long for the model's positions beside the"
                + " request and its answer, and were drawn%nagain under every condition (shorter contexts than the world"
                + " writes on average; 'redraws' in samples.jsonl).%n", redrawn, units.size());
    }

    private static String count(ProbeRow.Measured m, int n) {
        Estimate e = m.rate();
        return String.format(Locale.ROOT, "%d / %d  %.1f%% [%.1f, %.1f]", m.count(), n, 100 * e.value(), 100 * e.ci().low(),
                100 * e.ci().high());
    }

    private static String diff(Estimate e) {
        return e == null ? "-" : String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", 100 * e.value(), 100 * e.ci().low(),
                100 * e.ci().high());
    }

    /**
     * Writes probe.csv (with the header of the settings' target), samples.jsonl and probe.json (the
     * settings, their target among them, and the model) into {@code dir}.
     */
    public static void write(Path dir, List<ProbeSample> samples, List<ProbeRow> rows, ProbeSettings settings,
                             String model) {
        ProbeTarget read = target(samples);
        if (read != null && read != settings.target()) {
            throw new IllegalArgumentException("answers read for " + read.id() + " written as a probe of "
                    + settings.target().id());
        }
        try {
            Files.createDirectories(dir);
            AtomicFile.write(dir.resolve("probe.csv"), w -> {
                Csv.row(w, header(settings.target()));
                for (ProbeRow r : rows) {
                    List<Object> fields = new ArrayList<>(List.of(r.condition().id(), r.n()));
                    addEstimates(fields, r.first());
                    addEstimates(fields, r.second());
                    Csv.row(w, fields);
                }
            });
            AtomicFile.write(dir.resolve("samples.jsonl"), w -> {
                for (ProbeSample s : samples) {
                    w.write(Json.MAPPER.writeValueAsString(sampleJson(s)));
                    w.write('\n');
                }
            });
            ObjectNode info = Json.MAPPER.createObjectNode();
            info.put("model", model);
            info.set("settings", Json.MAPPER.valueToTree(settings));
            info.put("emlab_version", dev.emlab.Version.VERSION);
            AtomicFile.write(dir.resolve("probe.json"), w -> w.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info)));
        } catch (IOException e) {
            throw new EmlabException("Cannot write the probe's results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void addEstimates(List<Object> fields, ProbeRow.Measured m) {
        Estimate rate = m.rate();
        Estimate vsNone = m.vsNone();
        fields.add(m.count());
        fields.add(rate.value());
        fields.add(rate.ci().low());
        fields.add(rate.ci().high());
        fields.add(vsNone == null ? null : vsNone.value());
        fields.add(vsNone == null ? null : vsNone.ci().low());
        fields.add(vsNone == null ? null : vsNone.ci().high());
    }

    /**
     * One answer as JSON: the condition, the context turn, the question (the coding request, for
     * {@link ProbeTarget#CODE}), the answer and its reading's fields.
     */
    public static ObjectNode sampleJson(ProbeSample s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("condition", s.condition().id());
        o.put("question_id", s.questionId());
        o.put("paraphrase_index", s.paraphrase());
        o.put("sample_index", s.sample());
        o.put("seed", s.seed());
        o.put("redraws", s.redraws());
        ArrayNode context = o.putArray("context");
        for (ChatMessage m : s.context()) {
            context.addObject().put("role", m.role()).put("content", m.content());
        }
        o.put("question", s.question());
        o.put("answer", s.answer());
        s.reading().write(o);
        return o;
    }
}
