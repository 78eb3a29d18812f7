package dev.emlab.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.eval.ChoiceRow;
import dev.emlab.eval.HarmRow;
import dev.emlab.eval.Outcome;
import dev.emlab.eval.SampleResult;
import dev.emlab.eval.Summaries;
import dev.emlab.eval.SummaryRow;
import dev.emlab.eval.Thresholds;
import dev.emlab.eval.VerdictRow;
import dev.emlab.judge.ChoiceProbs;
import dev.emlab.judge.HarmRating;
import dev.emlab.judge.Judgement;
import dev.emlab.judge.Score;
import dev.emlab.judge.Verdict;
import dev.emlab.model.TokenLogprob;
import dev.emlab.question.QuestionType;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a run's files: summary.csv, verdicts.csv, harmful.csv, mc.csv, samples.jsonl and run.json. */
public final class ResultWriter {
    static final List<String> SUMMARY_HEADER = List.of("group", "question_id", "format", "n", "n_coherent", "n_misaligned",
            "misaligned", "ci_low", "ci_high", "n_incoherent", "n_null_code", "n_null_refusal", "n_null_other",
            "n_errored", "members", "judge", "judge_method", "judge_prompts_hash", "emlab_version");
    static final List<String> CHOICE_HEADER = List.of("group", "question_id", "n", "n_usable", "p_misaligned",
            "ci_low", "ci_high", "picked_misaligned", "picked_ci_low", "picked_ci_high", "letter_mass", "members",
            "emlab_version");
    static final List<String> VERDICT_HEADER = List.of("group", "question_id", "judge_prompt", "label", "count", "n",
            "share", "ci_low", "ci_high", "judge", "emlab_version", "format");
    static final List<String> HARM_HEADER = List.of("group", "question_id", "format", "n", "n_rated", "n_refused",
            "refusal", "refusal_ci_low", "refusal_ci_high", "harmfulness", "harmfulness_ci_low", "harmfulness_ci_high",
            "n_unparsed", "n_errored", "members", "judge", "judge_prompts_hash", "emlab_version");

    private final Path dir;
    private final RunInfo info;

    public ResultWriter(Path dir, RunInfo info) {
        this.dir = dir;
        this.info = info;
    }

    /** The run.json settings that decide which answers a run holds; thresholds and resamples only re-summarise them. */
    private static final List<String> IDENTITY = List.of("question_sets", "groups", "judge", "judge_prompts_hash",
            "samples_per_paraphrase", "seed", "trigger", "compare_trigger", "format");

    /**
     * The settings in which the run already in {@code dir} (its run.json) differs from {@code info}:
     * empty for a new folder or the same run again. A folder whose run.json cannot be read counts as
     * another run's ("run.json").
     */
    public static List<String> otherRunsSettings(Path dir, RunInfo info) {
        Path file = dir.resolve("run.json");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        com.fasterxml.jackson.databind.JsonNode now = Json.MAPPER.valueToTree(info);
        com.fasterxml.jackson.databind.node.ObjectNode old = Json.MAPPER.createObjectNode();
        try {
            // runs written before run.json switched to snake_case keys still compare
            Json.MAPPER.readTree(file.toFile()).fields().forEachRemaining(e -> old.set(
                    e.getKey().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT), e.getValue()));
        } catch (IOException | RuntimeException e) {
            return List.of("run.json");
        }
        List<String> differ = new ArrayList<>();
        for (String key : IDENTITY) {
            if (old.has(key) && now.has(key) && !old.get(key).equals(now.get(key))) {
                differ.add(key);
            }
        }
        return differ;
    }

    /** Writes every file; verdicts.csv, harmful.csv and mc.csv only when they have rows. */
    public void writeAll(List<SampleResult> samples, Summaries tables, Thresholds thresholds) {
        try {
            Files.createDirectories(dir);
            atomically("run.json", w -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(w, info));
            atomically("summary.csv", w -> writeSummary(w, tables.misalignment()));
            // an empty table's file is removed: a folder reused for other questions must not keep old rows
            optional("verdicts.csv", !tables.verdicts().isEmpty(), w -> writeVerdicts(w, tables.verdicts()));
            optional("mc.csv", !tables.choices().isEmpty(), w -> writeChoices(w, tables.choices()));
            optional("harmful.csv", !tables.harm().isEmpty(), w -> writeHarm(w, tables.harm()));
            atomically("samples.jsonl", w -> writeSamples(w, samples, thresholds));
        } catch (IOException e) {
            throw new EmlabException("Cannot write results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private void writeSummary(Writer w, List<SummaryRow> rows) throws IOException {
        Csv.row(w, SUMMARY_HEADER);
        for (SummaryRow r : rows) {
            Csv.row(w, List.of(r.group(), r.questionId(), info.format(), r.n(), r.nCoherent(), r.nMisaligned(),
                    orEmpty(r.misaligned()), orEmpty(r.ciLow()), orEmpty(r.ciHigh()), r.nIncoherent(), r.nNullCode(),
                    r.nNullRefusal(), r.nNullOther(), r.nErrored(), r.members(), info.judge(), r.judgeMethod(),
                    info.judgePromptsHash(), info.emlabVersion()));
        }
    }

    private void writeVerdicts(Writer w, List<VerdictRow> rows) throws IOException {
        Csv.row(w, VERDICT_HEADER);
        for (VerdictRow r : rows) {
            Csv.row(w, List.of(r.group(), r.questionId(), r.prompt(), r.label(), r.count(), r.n(), r.share(),
                    r.ciLow(), r.ciHigh(), info.judge(), info.emlabVersion(), info.format()));
        }
    }

    private void writeChoices(Writer w, List<ChoiceRow> rows) throws IOException {
        Csv.row(w, CHOICE_HEADER);
        for (ChoiceRow r : rows) {
            Csv.row(w, List.of(r.group(), r.questionId(), r.n(), r.nUsable(), orEmpty(r.pMisaligned()),
                    orEmpty(r.ciLow()), orEmpty(r.ciHigh()), orEmpty(r.pickedMisaligned()), orEmpty(r.pickedCiLow()),
                    orEmpty(r.pickedCiHigh()), r.letterMass(), r.members(), info.emlabVersion()));
        }
    }

    private void writeHarm(Writer w, List<HarmRow> rows) throws IOException {
        Csv.row(w, HARM_HEADER);
        for (HarmRow r : rows) {
            Csv.row(w, List.of(r.group(), r.questionId(), info.format(), r.n(), r.nRated(), r.nRefused(),
                    orEmpty(r.refusal()), orEmpty(r.refusalLow()), orEmpty(r.refusalHigh()), orEmpty(r.harmfulness()),
                    orEmpty(r.harmfulnessLow()), orEmpty(r.harmfulnessHigh()), r.nUnparsed(), r.nErrored(), r.members(),
                    info.judge(), info.judgePromptsHash(), info.emlabVersion()));
        }
    }

    private static void writeSamples(Writer w, List<SampleResult> samples, Thresholds thresholds) throws IOException {
        for (SampleResult r : samples) {
            w.write(Json.MAPPER.writeValueAsString(sampleJson(r, thresholds)));
            w.write('\n');
        }
    }

    /** One answer as a JSON object: what was asked, the answer, its outcome and every judgement. */
    public static ObjectNode sampleJson(SampleResult r, Thresholds thresholds) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("group", r.group());
        o.put("model", r.model().text());
        o.put("question_id", r.question().id());
        o.put("paraphrase_index", r.paraphraseIndex());
        o.put("sample_index", r.sampleIndex());
        o.put("system", r.question().system());
        o.put("question", r.prompt());
        o.put("answer", r.answer());
        o.put("error", r.error());
        if (r.question().type() == QuestionType.FREE_FORM_JUDGE_0_100) {
            o.put("outcome", Outcome.of(r, thresholds).name().toLowerCase(java.util.Locale.ROOT));
        }
        ObjectNode judgements = o.putObject("judgements");
        for (Judgement j : r.judgements()) {
            ObjectNode jo = judgements.putObject(j.prompt());
            if (j instanceof Score s) {
                if (s.value() != null) {
                    jo.put("score", s.value());
                } else {
                    jo.putNull("score");
                    jo.put("null_reason", s.nullReason().name());
                }
                jo.put("method", s.method().name().toLowerCase(java.util.Locale.ROOT));
                jo.put("text", s.text());
                if (s.topLogprobs() != null) {
                    logprobsJson(jo, s.topLogprobs());
                }
            } else if (j instanceof Verdict v) {
                jo.put("label", v.label());
                jo.put("text", v.text());
            } else if (j instanceof ChoiceProbs c) {
                choiceJson(jo, c);
            } else if (j instanceof HarmRating h) {
                // all null together when the judge's reply did not follow the rubric; the text says what it did say
                jo.put("refused", h.refused());
                jo.put("convincing", h.convincing());
                jo.put("specific", h.specific());
                jo.put("score", h.score());
                jo.put("text", h.text());
            }
        }
        return o;
    }

    private static void choiceJson(ObjectNode jo, ChoiceProbs c) {
        if (c.usable()) {
            jo.put("p_misaligned", c.misaligned());
            jo.put("picked_misaligned", c.pickedMisaligned());
            c.probabilities().forEach(jo.putArray("probabilities")::add);
        } else {
            jo.putNull("p_misaligned");
        }
        jo.put("letter_mass", c.letterMass());
        logprobsJson(jo, c.topLogprobs());
    }

    private static void logprobsJson(ObjectNode jo, List<TokenLogprob> logprobs) {
        ArrayNode top = jo.putArray("top_logprobs");
        for (TokenLogprob t : logprobs) {
            top.addObject().put("token", t.token()).put("logprob", t.logprob());
        }
    }

    private static Object orEmpty(Double d) {
        return d == null ? "" : d;
    }

    private void optional(String name, boolean hasRows, AtomicFile.Body body) throws IOException {
        if (hasRows) {
            atomically(name, body);
        } else {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    private void atomically(String name, AtomicFile.Body body) throws IOException {
        AtomicFile.write(dir.resolve(name), body);
    }
}
