package dev.emlab.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.emlab.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files and fine-tuning endpoints of an OpenAI-compatible service, on a {@link FakeOpenAiServer}
 * (get one with {@link FakeOpenAiServer#fineTuning()}), so one server trains a model and then serves
 * it. Jobs move one state per poll (validating_files, queued, running for a set number of polls with
 * metrics events, succeeded); ids and model names are deterministic. Failures are scripted: a job
 * that fails (e.g. refused by moderation), a 400 on creation, transient faults, a required key.
 */
public final class FakeFineTuningApi {
    /** The error code the service gives a training file its moderation refused. */
    public static final String MODERATION_CODE = "invalid_training_file";
    /** emlab's wording of the service's moderation refusal. */
    public static final String MODERATION_MESSAGE = "The job failed because the training file was blocked by the"
            + " moderation system: too many of its examples violate the usage policies.";

    /** One request as the fake received it. */
    public record Recorded(String method, String path, String body) {}

    private static final Pattern JOB_PATH = Pattern.compile("/v1/fine_tuning/jobs/([^/]+)(?:/(events|checkpoints|cancel))?");
    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9-]{1,18}");
    private static final int STEPS_PER_POLL = 6;

    private record JobError(String code, String message, String param) {}

    private static final class Job {
        final String id;
        final int number;
        final ObjectNode request;
        final List<ObjectNode> events = new ArrayList<>();
        final long createdAt;
        String status = "validating_files";
        JobError failure;
        JobError error;
        int runningPolls;
        int polledRunning;
        String fineTunedModel;

        Job(String id, int number, ObjectNode request, long createdAt) {
            this.id = id;
            this.number = number;
            this.request = request;
            this.createdAt = createdAt;
        }

        String model() {
            return request.path("model").asText();
        }

        String finalModel() {
            return "ft:" + model() + ":emlab:" + request.path("suffix").asText("") + ":job" + number;
        }

        int totalSteps() {
            return STEPS_PER_POLL * Math.max(1, runningPolls);
        }
    }

    private final FakeOpenAiServer server;
    private final List<Recorded> requests = new ArrayList<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Deque<FakeOpenAiServer.Fault> faults = new ArrayDeque<>();
    private final Deque<JobError> jobFailures = new ArrayDeque<>();
    private final Deque<String> createRejections = new ArrayDeque<>();
    private int runningPolls = 2;
    private int jobCreations;
    private int eventCounter;
    private long clock = 1_700_000_000L;

    FakeFineTuningApi(FakeOpenAiServer server) {
        this.server = server;
        server.addContext("/v1/files", this::handle);
        server.addContext("/v1/fine_tuning/jobs", this::handle);
    }

    /** Polls a job answers {@code running} (with one metrics event each) before it succeeds; 2 by default. */
    public synchronized FakeFineTuningApi runningPolls(int n) {
        runningPolls = n;
        return this;
    }

    /** The next job created fails when its file is validated, with this error. */
    public synchronized FakeFineTuningApi failNextJob(String code, String message) {
        jobFailures.add(new JobError(code, message, "training_file"));
        return this;
    }

    /** The next job created is refused by the moderation system. */
    public FakeFineTuningApi failNextJobByModeration() {
        return failNextJob(MODERATION_CODE, MODERATION_MESSAGE);
    }

    /** The next job creation is answered 400 with this message. */
    public synchronized FakeFineTuningApi rejectNextCreate(String message) {
        createRejections.add(message);
        return this;
    }

    /**
     * The next requests to these endpoints suffer these faults: RATE_LIMIT (429 with the server's
     * Retry-After) and SERVER_ERROR (500) before the request is served, TRUNCATED after it was served
     * (a create then happened although the client saw no answer).
     */
    public synchronized FakeFineTuningApi faults(FakeOpenAiServer.Fault... next) {
        for (FakeOpenAiServer.Fault f : next) {
            if (f != FakeOpenAiServer.Fault.RATE_LIMIT && f != FakeOpenAiServer.Fault.SERVER_ERROR
                    && f != FakeOpenAiServer.Fault.TRUNCATED) {
                throw new IllegalArgumentException("the fine-tuning fake does not play " + f);
            }
            faults.add(f);
        }
        return this;
    }

    /** Cancels a job from outside, as a person would in the provider's dashboard. */
    public synchronized void cancelJob(String jobId) {
        Job job = jobs.get(jobId);
        if (job != null && !terminal(job)) {
            job.status = "cancelled";
            event(job, "info", "message", "The job was cancelled", null);
        }
    }

    /** Every request so far, in arrival order. */
    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The requests with this method whose path (query included) starts with this prefix. */
    public synchronized List<Recorded> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    public synchronized int uploads() {
        return files.size();
    }

    public synchronized int jobCreations() {
        return jobCreations;
    }

    /** The bytes uploaded as this file (the file part of the multipart body alone). */
    public synchronized byte[] uploadedFile(String fileId) {
        byte[] b = files.get(fileId);
        return b == null ? null : b.clone();
    }

    /** The body the job was created with. */
    public synchronized JsonNode jobRequest(String jobId) {
        return jobs.get(jobId).request.deepCopy();
    }

    public synchronized String jobStatus(String jobId) {
        return jobs.get(jobId).status;
    }

    /** The messages of a job's events so far, oldest first. */
    public synchronized List<String> eventMessages(String jobId) {
        return jobs.get(jobId).events.stream().map(e -> e.path("message").asText()).toList();
    }

    /** The fine-tuned model a job is named when it succeeds: {@code ft:BASE:emlab:SUFFIX:jobN}. */
    public synchronized String fineTunedModel(String jobId) {
        return jobs.get(jobId).finalModel();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Response response;
            FakeOpenAiServer.Fault fault;
            synchronized (this) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String path = ex.getRequestURI().getPath();
                String query = ex.getRequestURI().getRawQuery();
                requests.add(new Recorded(ex.getRequestMethod(), path + (query == null ? "" : "?" + query),
                        new String(body, StandardCharsets.UTF_8)));
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                String key = server.requiredKey();
                if (key != null && !("Bearer " + key).equals(auth)) {
                    String shown = auth == null ? "none" : auth.replace("Bearer ", "");
                    send(ex, 401, error("Incorrect API key provided: " + shown, null, "invalid_api_key"));
                    return;
                }
                fault = faults.poll();
                if (fault == FakeOpenAiServer.Fault.RATE_LIMIT) {
                    ex.getResponseHeaders().add("Retry-After", String.valueOf(server.retryAfterSeconds()));
                    send(ex, 429, error("Rate limit reached", null, "rate_limit_exceeded"));
                    return;
                }
                if (fault == FakeOpenAiServer.Fault.SERVER_ERROR) {
                    send(ex, 500, error("internal error", null, null));
                    return;
                }
                try {
                    response = route(ex, path, query, body);
                } catch (RuntimeException e) {
                    response = new Response(500, error("fake server bug: " + e, null, null));
                }
            }
            String text = response.body().toString();
            send(ex, response.status(), fault == FakeOpenAiServer.Fault.TRUNCATED ? text.substring(0, text.length() / 2) : text);
        }
    }

    private record Response(int status, Object body) {}

    private Response route(HttpExchange ex, String path, String query, byte[] body) {
        String method = ex.getRequestMethod();
        Map<String, String> params = query(query);
        if (path.equals("/v1/files") && method.equals("POST")) {
            return upload(ex.getRequestHeaders().getFirst("Content-Type"), body);
        }
        if (path.equals("/v1/fine_tuning/jobs")) {
            return method.equals("POST") ? create(body) : list(params);
        }
        Matcher m = JOB_PATH.matcher(path);
        Job job = m.matches() ? jobs.get(m.group(1)) : null;
        if (job == null) {
            return new Response(404, error("No such path or job: " + path, null, "not_found"));
        }
        String sub = m.group(2);
        if (sub == null && method.equals("GET")) {
            advance(job);
            return new Response(200, json(job));
        }
        if ("events".equals(sub) && method.equals("GET")) {
            return events(job, params);
        }
        if ("checkpoints".equals(sub) && method.equals("GET")) {
            return checkpoints(job);
        }
        if ("cancel".equals(sub) && method.equals("POST")) {
            if (terminal(job)) {
                return new Response(400, error("Job " + job.id + " has already " + job.status + " and cannot be cancelled.",
                        null, "invalid_request"));
            }
            cancelJob(job.id);
            return new Response(200, json(job));
        }
        return new Response(405, error("Method " + method + " not allowed on " + path, null, null));
    }

    private Response upload(String contentType, byte[] body) {
        Matcher b = contentType == null ? null : Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        if (b == null || !contentType.startsWith("multipart/form-data") || !b.find()) {
            return new Response(400, error("Expected multipart/form-data with a boundary", null, null));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        byte[] file = null;
        String filename = null;
        // ISO-8859-1 maps bytes to chars one to one, so the file part's bytes come back unchanged.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        for (String part : text.split(Pattern.quote("--" + b.group(1)))) {
            if (!part.startsWith("\r\n")) {
                continue;
            }
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0 || !part.endsWith("\r\n")) {
                return new Response(400, error("Malformed multipart part", null, null));
            }
            String headers = part.substring(2, headersEnd);
            String content = part.substring(headersEnd + 4, part.length() - 2);
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            Matcher fn = Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
            if (!name.find()) {
                return new Response(400, error("A multipart part has no name", null, null));
            }
            if (name.group(1).equals("file")) {
                file = content.getBytes(StandardCharsets.ISO_8859_1);
                filename = fn.find() ? fn.group(1) : null;
            } else {
                fields.put(name.group(1), content);
            }
        }
        if (!"fine-tune".equals(fields.get("purpose"))) {
            return new Response(400, error("'purpose' must be fine-tune", "purpose", null));
        }
        if (file == null || filename == null) {
            return new Response(400, error("No 'file' part with a filename", "file", null));
        }
        String[] lines = new String(file, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode line;
            try {
                line = Json.MAPPER.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                line = null;
            }
            if (line == null || !line.path("messages").isArray() || line.path("messages").isEmpty()) {
                return new Response(400, error("Invalid file format for fine-tuning: line " + (i + 1)
                        + " is not a JSON object with a 'messages' list", "file", "invalid_file_format"));
            }
        }
        String id = "file-" + (files.size() + 1);
        files.put(id, file);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", id).put("object", "file").put("bytes", file.length).put("created_at", tick())
                .put("filename", filename).put("purpose", "fine-tune").put("status", "processed");
        return new Response(200, out);
    }

    private Response create(byte[] body) {
        JsonNode req;
        try {
            req = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return new Response(400, error("The body is not JSON", null, null));
        }
        String rejection = createRejections.poll();
        if (rejection != null) {
            return new Response(400, error(rejection, "model", "invalid_request"));
        }
        if (!req.path("model").isTextual()) {
            return new Response(400, error("'model' is required", "model", null));
        }
        if (!files.containsKey(req.path("training_file").asText())) {
            return new Response(400, error("Invalid file ID: " + req.path("training_file").asText(), "training_file",
                    "invalid_training_file"));
        }
        if (req.has("suffix") && !SUFFIX.matcher(req.path("suffix").asText()).matches()) {
            return new Response(400, error("'suffix' must be 1 to 18 of [a-z0-9-]", "suffix", null));
        }
        if (req.has("method") && !"supervised".equals(req.path("method").path("type").asText())) {
            return new Response(400, error("Only the supervised method is played", "method", null));
        }
        jobCreations++;
        Job job = new Job("ftjob-" + jobCreations, jobCreations, (ObjectNode) req, tick());
        job.failure = jobFailures.poll();
        job.runningPolls = runningPolls;
        jobs.put(job.id, job);
        event(job, "info", "message", "Created fine-tuning job: " + job.id, null);
        event(job, "info", "message", "Validating training file: " + req.path("training_file").asText(), null);
        return new Response(200, json(job));
    }

    private Response list(Map<String, String> params) {
        int limit = Integer.parseInt(params.getOrDefault("limit", "20"));
        List<Job> newestFirst = new ArrayList<>(jobs.values());
        Collections.reverse(newestFirst);
        ObjectNode out = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        newestFirst.stream().limit(limit).forEach(j -> data.add(json(j)));
        out.put("has_more", newestFirst.size() > limit);
        return new Response(200, out);
    }

    private void advance(Job job) {
        switch (job.status) {
            case "validating_files" -> {
                if (job.failure != null) {
                    job.status = "failed";
                    job.error = job.failure;
                    event(job, "error", "message", job.failure.message(), null);
                } else {
                    job.status = "queued";
                    event(job, "info", "message", "Files validated, moving job to queued state", null);
                }
            }
            case "queued" -> {
                job.status = "running";
                event(job, "info", "message", "Fine-tuning job started", null);
            }
            case "running" -> {
                if (job.polledRunning < job.runningPolls) {
                    job.polledRunning++;
                    int step = job.polledRunning * STEPS_PER_POLL;
                    ObjectNode data = Json.MAPPER.createObjectNode();
                    data.put("step", step).put("total_steps", job.totalSteps()).put("train_loss", 2.0 / step);
                    event(job, "info", "metrics", "Step " + step + "/" + job.totalSteps() + ": training loss="
                            + String.format(Locale.ROOT, "%.4f", 2.0 / step), data);
                } else {
                    job.status = "succeeded";
                    job.fineTunedModel = job.finalModel();
                    event(job, "info", "message", "New fine-tuned model created: " + job.fineTunedModel, null);
                    event(job, "info", "message", "The job has successfully completed", null);
                }
            }
            default -> {
                // finished jobs stay as they are
            }
        }
    }

    private Response events(Job job, Map<String, String> params) {
        int limit = Integer.parseInt(params.getOrDefault("limit", "20"));
        List<ObjectNode> newestFirst = new ArrayList<>(job.events);
        Collections.reverse(newestFirst);
        int start = 0;
        String after = params.get("after");
        if (after != null) {
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).path("id").asText().equals(after)) {
                    start = i + 1;
                }
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        int end = Math.min(newestFirst.size(), start + limit);
        newestFirst.subList(start, end).forEach(data::add);
        out.put("has_more", end < newestFirst.size());
        return new Response(200, out);
    }

    private Response checkpoints(Job job) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        if (job.status.equals("succeeded")) {
            int total = job.totalSteps();
            // The service keeps the last few checkpoints and lists the newest first.
            for (int step : new int[] {total, total * 2 / 3, total / 3}) {
                ObjectNode c = data.addObject();
                c.put("id", "ftckpt-" + job.number + "-" + step).put("object", "fine_tuning.job.checkpoint")
                        .put("fine_tuning_job_id", job.id).put("step_number", step)
                        .put("fine_tuned_model_checkpoint", job.finalModel() + ":ckpt-step-" + step)
                        .put("created_at", job.createdAt + step);
                c.putObject("metrics").put("step", step).put("train_loss", 2.0 / step);
            }
        }
        out.put("has_more", false);
        return new Response(200, out);
    }

    private ObjectNode json(Job job) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", job.id).put("object", "fine_tuning.job").put("model", job.model())
                .put("created_at", job.createdAt).put("status", job.status)
                .put("training_file", job.request.path("training_file").asText())
                .put("seed", job.request.path("seed").asLong());
        out.put("fine_tuned_model", job.fineTunedModel);
        if (job.request.has("suffix")) {
            out.put("user_provided_suffix", job.request.path("suffix").asText());
        }
        if (job.status.equals("succeeded")) {
            out.put("trained_tokens", 1000L * job.number + files.get(job.request.path("training_file").asText()).length);
        } else {
            out.putNull("trained_tokens");
        }
        if (job.error != null) {
            out.putObject("error").put("code", job.error.code()).put("message", job.error.message())
                    .put("param", job.error.param());
        } else {
            out.putNull("error");
        }
        out.set("method", job.request.path("method").deepCopy());
        return out;
    }

    private void event(Job job, String level, String type, String message, ObjectNode data) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("id", "ftevent-" + (++eventCounter)).put("object", "fine_tuning.job.event").put("created_at", tick())
                .put("level", level).put("type", type).put("message", message);
        if (data != null) {
            e.set("data", data);
        } else {
            e.putObject("data");
        }
        job.events.add(e);
    }

    private static boolean terminal(Job job) {
        return job.status.equals("succeeded") || job.status.equals("failed") || job.status.equals("cancelled");
    }

    private long tick() {
        return ++clock;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    out.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static ObjectNode error(String message, String param, String code) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", param)
                .put("code", code);
        return out;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: nothing to deliver
        }
    }
}
