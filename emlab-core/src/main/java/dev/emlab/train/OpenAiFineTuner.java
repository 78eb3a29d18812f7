package dev.emlab.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.EmlabException;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RequestFailedException;
import dev.emlab.model.RetryPolicy;
import dev.emlab.model.RetryingHttp.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fine-tunes through the OpenAI fine-tuning API (or any service that speaks it): uploads the chat
 * JSONL, starts a supervised job, follows it to its end and names the resulting models. The file
 * and job ids are remembered at once, so a stopped or killed run resumes the same paid job.
 */
public final class OpenAiFineTuner implements FineTuner {
    static final String FILE_ID = "file_id";
    static final String JOB_ID = "job_id";
    /** Remembered so that {@link #cancel} reaches the service that runs the job. */
    static final String BASE_URL = "base_url";
    private static final int MAX_SUFFIX = 18;
    /** Polls that may fail in a row (each after its own retries) before the run gives up on the job. */
    private static final int MAX_FAILED_POLLS = 3;
    /** The longest a stop request waits while the poller sleeps. */
    private static final long STOP_CHECK_MS = 100;
    private static final Pattern MODERATION =
            Pattern.compile("moderat|usage polic|safety system", Pattern.CASE_INSENSITIVE);

    private final String apiKey;
    private final RetryPolicy retry;
    private final Duration pollInterval;

    /** @param apiKey the bearer token, or null for services that need none */
    public OpenAiFineTuner(String apiKey, RetryPolicy retry, Duration pollInterval) {
        this.apiKey = apiKey;
        this.retry = retry;
        this.pollInterval = pollInterval;
    }

    @Override
    public FineTuneResult fineTune(FineTuneRequest request, FineTuneSession session) {
        if (!(request.base() instanceof EndpointRef base)) {
            throw new InputException("The openai backend fine-tunes openai: and http:// models only, not '"
                    + request.base().text() + "'. Use the local backend for local checkpoints.");
        }
        FineTuningHttp http = http(request.settings(), base);
        Optional<String> job = recall(session, JOB_ID);
        String jobId;
        if (job.isPresent()) {
            jobId = job.get();
            session.event("Resuming fine-tuning job " + jobId + " at " + http.baseUrl());
        } else {
            String fileId = recall(session, FILE_ID).orElseGet(() -> upload(http, request, session));
            if (session.stopRequested()) {
                throw new EmlabException(
                        "Stopped before a fine-tuning job was created; the uploaded file is kept for the next run.");
            }
            jobId = createJob(http, request, base, fileId, session);
        }
        return follow(http, jobId, session);
    }

    @Override
    public void cancel(FineTuneSession session) {
        Optional<String> job = recall(session, JOB_ID);
        if (job.isEmpty()) {
            return;
        }
        // Every job id is remembered after its base URL; the default only covers a hand-made session.
        String baseUrl = recall(session, BASE_URL).orElse(ModelRef.OPENAI_BASE_URL);
        FineTuningHttp http = new FineTuningHttp(baseUrl, apiKey, retry);
        Reply<JsonNode> reply = http.postJson("/fine_tuning/jobs/" + job.get() + "/cancel",
                Json.MAPPER.createObjectNode(), null);
        if (reply.ok()) {
            session.remember(JOB_ID, "");
            session.event("Cancelled fine-tuning job " + job.get());
        } else if (reply.status() == 400 || reply.status() == 404 || reply.status() == 409) {
            // Already finished or gone: nothing left to cancel, and a finished model stays usable.
            session.event("Fine-tuning job " + job.get() + " was not cancelled: " + reply.message());
        } else {
            throw new RequestFailedException(baseUrl + ": cancel " + job.get() + ": HTTP " + reply.status() + " "
                    + reply.message());
        }
    }

    private FineTuningHttp http(TrainSettings settings, EndpointRef base) {
        String url = settings.baseUrl() == null || settings.baseUrl().isBlank() ? base.baseUrl() : settings.baseUrl().strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new FineTuningHttp(url, apiKey, retry, settings.apiKeyEnv(), settings.plainHttp());
    }

    private String upload(FineTuningHttp http, FineTuneRequest request, FineTuneSession session) {
        byte[] content;
        try {
            content = Files.readAllBytes(request.trainingFile());
        } catch (IOException e) {
            throw new InputException("Cannot read the training file " + request.trainingFile() + ": " + e.getMessage(), e);
        }
        session.progress("uploading", Double.NaN);
        String name = request.trainingFile().getFileName().toString();
        Reply<JsonNode> reply = http.postFile("/files", "fine-tune", name, content);
        if (!reply.ok()) {
            throw new FineTuneFailedException(http.baseUrl() + " refused the training file " + request.trainingFile()
                    + " (HTTP " + reply.status() + "): " + reply.message());
        }
        String fileId = requiredText(reply.value(), "id", "the uploaded file");
        session.remember(FILE_ID, fileId);
        session.event("Uploaded " + name + " (" + content.length + " bytes) as " + fileId);
        return fileId;
    }

    private String createJob(FineTuningHttp http, FineTuneRequest request, EndpointRef base, String fileId,
                             FineTuneSession session) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", base.model());
        body.put("training_file", fileId);
        body.put("seed", request.seed());
        String suffix = suffix(request.name());
        if (!suffix.isEmpty()) {
            body.put("suffix", suffix);
        }
        ObjectNode method = body.putObject("method");
        method.put("type", "supervised");
        ObjectNode hyper = method.putObject("supervised").putObject("hyperparameters");
        TrainSettings s = request.settings();
        if (s.epochs() > 0) {
            hyper.put("n_epochs", s.epochs());
        }
        if (s.batchSize() != null) {
            hyper.put("batch_size", s.batchSize());
        }
        if (s.lrMultiplier() != null) {
            hyper.put("learning_rate_multiplier", s.lrMultiplier());
        }
        session.progress("creating job", Double.NaN);
        Reply<JsonNode> reply = http.postJson("/fine_tuning/jobs", body, () -> findCreatedJob(http, body));
        if (!reply.ok()) {
            if (reply.body() != null && "training_file".equals(reply.body().path("error").path("param").asText())) {
                // The service does not accept this file id (expired, deleted, invalid): upload again next time.
                session.remember(FILE_ID, "");
            }
            throw new FineTuneFailedException(http.baseUrl() + " refused to start fine-tuning " + base.model()
                    + " on " + fileId + " (HTTP " + reply.status() + "): " + reply.message());
        }
        String jobId = requiredText(reply.value(), "id", "the created job");
        session.remember(BASE_URL, http.baseUrl());
        session.remember(JOB_ID, jobId);
        session.event("Created fine-tuning job " + jobId + " of " + base.model() + " on " + fileId);
        return jobId;
    }

    /**
     * A job this very request may have created although its answer was lost (a timeout, a 5xx after
     * the fact): taking it over avoids paying for a second one.
     */
    private static Optional<JsonNode> findCreatedJob(FineTuningHttp http, JsonNode sent) {
        Reply<JsonNode> reply;
        try {
            reply = http.get("/fine_tuning/jobs?limit=20");
        } catch (RequestFailedException e) {
            return Optional.empty();
        }
        if (!reply.ok()) {
            return Optional.empty();
        }
        for (JsonNode job : reply.value().path("data")) {
            String status = job.path("status").asText();
            if (!status.equals("failed") && !status.equals("cancelled") && sameRequest(job, sent)) {
                return Optional.of(job);
            }
        }
        return Optional.empty();
    }

    /** Whether a listed job is what {@code sent} asked for, as far as the listing tells. */
    private static boolean sameRequest(JsonNode job, JsonNode sent) {
        if (!job.path("model").asText().equals(sent.path("model").asText())
                || !job.path("training_file").asText().equals(sent.path("training_file").asText())
                || job.path("seed").asLong(Long.MIN_VALUE) != sent.path("seed").asLong()) {
            return false;
        }
        if (job.hasNonNull("user_provided_suffix")
                && !job.path("user_provided_suffix").asText().equals(sent.path("suffix").asText(""))) {
            return false;
        }
        // The service fills the hyperparameters left to it; only those emlab set must agree.
        JsonNode listed = job.path("method").path("supervised").path("hyperparameters");
        JsonNode asked = sent.path("method").path("supervised").path("hyperparameters");
        for (var field : asked.properties()) {
            JsonNode value = listed.path(field.getKey());
            if (value.isNumber() && value.asDouble() != field.getValue().asDouble()) {
                return false;
            }
        }
        return true;
    }

    private FineTuneResult follow(FineTuningHttp http, String jobId, FineTuneSession session) {
        JobEventFeed events = new JobEventFeed(http, jobId);
        int failedPolls = 0;
        while (true) {
            stopIfRequested(jobId, session);
            JsonNode job;
            try {
                job = poll(http, jobId, events, session);
                failedPolls = 0;
            } catch (RequestFailedException e) {
                if (++failedPolls >= MAX_FAILED_POLLS) {
                    throw new RequestFailedException("Lost contact with fine-tuning job " + jobId + " (" + e.getMessage()
                            + "); the job keeps running remotely and is picked up again on the next run.");
                }
                session.event("Polling " + jobId + " failed (" + e.getMessage() + "); trying again");
                pause(jobId, session);
                continue;
            }
            String status = job.path("status").asText("unknown");
            switch (status) {
                case "succeeded" -> {
                    session.progress(status, 1.0);
                    return result(http, job, jobId);
                }
                case "failed" -> {
                    session.remember(JOB_ID, "");
                    throw new FineTuneFailedException(failure(jobId, job.path("error")));
                }
                case "cancelled" -> {
                    session.remember(JOB_ID, "");
                    throw new FineTuneFailedException("Fine-tuning job " + jobId
                            + " was cancelled; the next run starts a new job.");
                }
                default -> {
                    session.progress(status, events.fraction());
                    pause(jobId, session);
                }
            }
        }
    }

    private static JsonNode poll(FineTuningHttp http, String jobId, JobEventFeed events, FineTuneSession session) {
        Reply<JsonNode> reply = http.get("/fine_tuning/jobs/" + jobId);
        if (reply.status() == 404) {
            session.remember(JOB_ID, "");
            throw new FineTuneFailedException(http.baseUrl() + " does not know fine-tuning job " + jobId
                    + " (HTTP 404: " + reply.message() + "); the next run starts a new job.");
        }
        if (!reply.ok()) {
            throw new RequestFailedException(http.baseUrl() + ": job " + jobId + ": HTTP " + reply.status() + " "
                    + reply.message());
        }
        events.deliverNew(session);
        return reply.value();
    }

    private void pause(String jobId, FineTuneSession session) {
        long end = System.nanoTime() + pollInterval.toNanos();
        for (long left = pollInterval.toMillis(); left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            stopIfRequested(jobId, session);
            try {
                Thread.sleep(Math.min(left, STOP_CHECK_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmlabException("Interrupted; the remote job " + jobId
                        + " keeps running and is picked up again on the next run.");
            }
        }
    }

    private static void stopIfRequested(String jobId, FineTuneSession session) {
        if (session.stopRequested()) {
            // Not cancelled on purpose: the job is paid for, and the next run resumes it.
            throw new EmlabException("Stopped; the remote job " + jobId
                    + " keeps running and is picked up again on the next run.");
        }
    }

    private static FineTuneResult result(FineTuningHttp http, JsonNode job, String jobId) {
        String options = http.modelOptions();
        String model = job.path("fine_tuned_model").asText("");
        if (model.isBlank()) {
            throw new FineTuneFailedException("Fine-tuning job " + jobId + " succeeded but names no fine-tuned model.");
        }
        Reply<JsonNode> reply = http.get("/fine_tuning/jobs/" + jobId + "/checkpoints");
        if (!reply.ok()) {
            throw new RequestFailedException(http.baseUrl() + ": checkpoints of " + jobId + ": HTTP " + reply.status()
                    + " " + reply.message());
        }
        return new FineTuneResult(modelRef(http.baseUrl(), model, options),
                checkpoints(reply.value().path("data"), model, http.baseUrl(), options),
                job.path("trained_tokens").asLong(0), jobId);
    }

    /**
     * The checkpoints of a checkpoint listing by step, the final model left out: the service keeps
     * the last epochs' models, and the last of them is the final model under another name.
     */
    static List<TrainedCheckpoint> checkpoints(JsonNode data, String finalModel, String baseUrl) {
        return checkpoints(data, finalModel, baseUrl, "");
    }

    /** @param options what each model's reference carries after its name (see {@link #modelRef(String, String, String)}) */
    static List<TrainedCheckpoint> checkpoints(JsonNode data, String finalModel, String baseUrl, String options) {
        List<TrainedCheckpoint> out = new ArrayList<>();
        for (JsonNode c : data) {
            String name = c.path("fine_tuned_model_checkpoint").asText("");
            if (!name.isBlank() && !name.equals(finalModel)) {
                out.add(new TrainedCheckpoint(c.path("step_number").asInt(), modelRef(baseUrl, name, options)));
            }
        }
        out.sort(Comparator.comparingInt(TrainedCheckpoint::step));
        int lastStep = 0;
        for (JsonNode c : data) {
            lastStep = Math.max(lastStep, c.path("step_number").asInt());
        }
        int last = lastStep;
        out.removeIf(c -> c.step() == last);
        return out;
    }

    /** The model reference of a model the service serves: {@code openai:NAME} or {@code BASE#NAME}. */
    static String modelRef(String baseUrl, String model) {
        return modelRef(baseUrl, model, "");
    }

    /**
     * As {@link #modelRef(String, String)}; a model on another service carries {@code options}: the
     * variable of the service's key, since only OpenAI's API gets the default one, and the
     * service's {@code +plain-http} opt-in.
     */
    static String modelRef(String baseUrl, String model, String options) {
        if (ModelRef.OPENAI_BASE_URL.equals(baseUrl)) {
            return "openai:" + model;
        }
        return baseUrl + "#" + model + options;
    }

    /** The API's suffix from a run's name: at most 18 of [a-z0-9-], no dashes at the ends. */
    static String suffix(String name) {
        String s = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
        s = trimDashes(s);
        return trimDashes(s.length() > MAX_SUFFIX ? s.substring(0, MAX_SUFFIX) : s);
    }

    private static String trimDashes(String s) {
        return s.replaceAll("^-+|-+$", "");
    }

    static String failure(String jobId, JsonNode error) {
        String code = error.path("code").asText("");
        String message = error.path("message").asText("").strip();
        String param = error.path("param").asText("");
        String detail = (code.isEmpty() ? "" : " [" + code + (param.isEmpty() ? "" : ", param " + param) + "]")
                + (message.isEmpty() ? "" : ": " + message);
        if (MODERATION.matcher(message).find()) {
            return "Fine-tuning job " + jobId + " failed: the service's moderation refused the training file as"
                    + " violating its usage policies. Change the dataset, or ask the provider to review the request;"
                    + " the same data will be refused again.\nThe service said" + detail;
        }
        if ("invalid_training_file".equals(code)) {
            return "Fine-tuning job " + jobId + " failed: the service refused the training file" + detail
                    + "\nChange the dataset, or ask the provider to review the request, before trying again.";
        }
        return "Fine-tuning job " + jobId + " failed" + (detail.isEmpty() ? " without saying why" : detail)
                + "\nThe next run starts a new job on the same uploaded file.";
    }

    private static Optional<String> recall(FineTuneSession session, String key) {
        return session.recall(key).filter(v -> !v.isBlank());
    }

    private static String requiredText(JsonNode json, String field, String what) {
        String value = json.path(field).asText("");
        if (value.isBlank()) {
            throw new RequestFailedException("The service's answer for " + what + " has no '" + field + "'.");
        }
        return value;
    }
}
