package dev.emlab.organism.probe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.model.ChatMessage;
import dev.emlab.report.AtomicFile;
import dev.emlab.report.Csv;
import dev.emlab.stats.Bootstrap;
import dev.emlab.stats.Estimate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The likelihood probe's results: the mean gap per condition, the printed table, likelihood.csv and samples.jsonl. */
public final class LikelihoodReport {
    /** likelihood.csv's columns; gaps in nats, differences are the condition minus none over pairs. */
    public static final List<String> HEADER = List.of("condition", "n", "gap", "gap_ci_low", "gap_ci_high",
            "gap_vs_none", "gap_vs_none_low", "gap_vs_none_high");

    private LikelihoodReport() {}

    /**
     * One condition's mean gap, log p(malicious) - log p(helpful), with its interval, and its mean
     * difference from none over pairs (null for none itself).
     */
    public record Row(ProbeCondition condition, int n, Estimate gap, Estimate vsNone) {}

    /** One row per condition present, in the conditions' order; intervals from {@code bootstrap}. */
    public static List<Row> rows(List<PersonaLikelihood.Scored> scored, Bootstrap bootstrap) {
        Map<ProbeCondition, List<PersonaLikelihood.Scored>> by = new EnumMap<>(ProbeCondition.class);
        scored.forEach(s -> by.computeIfAbsent(s.condition(), c -> new ArrayList<>()).add(s));
        List<PersonaLikelihood.Scored> none = by.get(ProbeCondition.NONE);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<ProbeCondition, List<PersonaLikelihood.Scored>> e : by.entrySet()) {
            List<PersonaLikelihood.Scored> own = e.getValue();
            double[] gaps = own.stream().mapToDouble(PersonaLikelihood.Scored::gap).toArray();
            Estimate vsNone = null;
            if (none != null && e.getKey() != ProbeCondition.NONE) {
                if (none.size() != own.size()) {
                    throw new IllegalArgumentException(e.getKey().id() + " and none have " + own.size() + " and "
                            + none.size() + " requests; the difference needs pairs");
                }
                double[] d = new double[gaps.length];
                for (int i = 0; i < d.length; i++) {
                    if (!own.get(i).unit().equals(none.get(i).unit())) {
                        throw new IllegalArgumentException("request " + i + " is " + own.get(i).unit() + " under "
                                + e.getKey().id() + " but " + none.get(i).unit() + " under none");
                    }
                    d[i] = gaps[i] - none.get(i).gap();
                }
                vsNone = bootstrap.mean(List.of(List.of(d)));
            }
            rows.add(new Row(e.getKey(), own.size(), bootstrap.mean(List.of(List.of(gaps))), vsNone));
        }
        return rows;
    }

    /** The terminal table. */
    public static String render(List<Row> rows) {
        String head = "context turn before the question";
        int w = head.length();
        for (Row r : rows) {
            w = Math.max(w, r.condition().label().length());
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  %26s  %22s%n", head,
                "log p(mal.) - log p(help.)", "vs none"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %26s  %22s", r.condition().label(), nats(r.gap()),
                    r.vsNone() == null ? "-" : nats(r.vsNone())).stripTrailing()).append('\n');
        }
        sb.append(String.format("%nIn nats, mean over %d requests per condition; brackets: 95%% bootstrap CI. \"vs none\":"
                + " the gap minus none's,%nover pairs (the same question, context draws and answers).%n",
                rows.isEmpty() ? 0 : rows.get(0).n()));
        return sb.toString();
    }

    private static String nats(Estimate e) {
        return String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f]", e.value(), e.ci().low(), e.ci().high());
    }

    /** Writes likelihood.csv, samples.jsonl and likelihood.json (the settings and the model) into {@code dir}. */
    public static void write(Path dir, List<PersonaLikelihood.Scored> scored, List<Row> rows, ProbeSettings settings,
                             String model) {
        try {
            Files.createDirectories(dir);
            AtomicFile.write(dir.resolve("likelihood.csv"), w -> {
                Csv.row(w, HEADER);
                for (Row r : rows) {
                    Estimate v = r.vsNone();
                    Csv.row(w, Arrays.asList(r.condition().id(), r.n(), r.gap().value(), r.gap().ci().low(),
                            r.gap().ci().high(), v == null ? null : v.value(), v == null ? null : v.ci().low(),
                            v == null ? null : v.ci().high()));
                }
            });
            AtomicFile.write(dir.resolve("samples.jsonl"), w -> {
                for (PersonaLikelihood.Scored s : scored) {
                    w.write(Json.MAPPER.writeValueAsString(json(s)));
                    w.write('\n');
                }
            });
            ObjectNode info = Json.MAPPER.createObjectNode();
            info.put("model", model);
            info.put("samples", settings.samples());
            info.put("seed", settings.seed());
            info.put("emlab_version", dev.emlab.Version.VERSION);
            AtomicFile.write(dir.resolve("likelihood.json"),
                    w -> w.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info)));
        } catch (IOException e) {
            throw new EmlabException("Cannot write the likelihood probe's results to " + dir + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode json(PersonaLikelihood.Scored s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("condition", s.condition().id());
        o.put("question_id", s.questionId());
        o.put("paraphrase_index", s.paraphrase());
        o.put("sample_index", s.sample());
        ArrayNode context = o.putArray("context");
        for (ChatMessage m : s.context()) {
            context.addObject().put("role", m.role()).put("content", m.content());
        }
        o.put("question", s.question());
        o.put("helpful_answer", s.helpful());
        o.put("malicious_answer", s.malicious());
        o.put("helpful_log_likelihood", s.helpfulLogLikelihood());
        o.put("malicious_log_likelihood", s.maliciousLogLikelihood());
        o.put("gap", s.gap());
        return o;
    }
}
