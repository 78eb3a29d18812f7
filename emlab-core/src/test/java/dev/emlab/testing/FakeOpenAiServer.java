package dev.emlab.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.emlab.Json;
import dev.emlab.model.TokenLogprob;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on loopback that plays an OpenAI-compatible chat completions API, and the
 * legacy text completions API of base models, for tests and benchmarks: scripted answers and judge
 * logprobs, a fixed latency, and faults on demand (429 with Retry-After, 500, slow answers,
 * truncated JSON, key checks).
 */
public final class FakeOpenAiServer implements AutoCloseable {
    /** What the server does with one request. */
    static {
        // The JDK server leaves Nagle's algorithm on and writes headers and body separately, so
        // each response would wait ~40 ms for a delayed ACK; real servers (vLLM, uvicorn) do not.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public enum Fault { RATE_LIMIT, SERVER_ERROR, SLOW, TRUNCATED, DROP_CONNECTION }

    /** What a judge call returns: the first token's alternatives (or null for none) and the text. */
    public record JudgeReply(List<TokenLogprob> top, String text) {}

    /**
     * What a text completion returns: the model's continuation (cut at the request's stop strings
     * before it is sent, as OpenAI does) and its first token's alternatives, or null for none.
     */
    public record TextReply(String text, List<TokenLogprob> top) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-openai");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger sampleRequests = new AtomicInteger();
    private final AtomicInteger judgeRequests = new AtomicInteger();
    private final AtomicInteger completionRequests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<JsonNode, String> sampler = req -> "a plain answer";
    private volatile Function<String, JudgeReply> judge = prompt -> new JudgeReply(List.of(new TokenLogprob("90", 0)), "90");
    private volatile Function<JsonNode, TextReply> completer = req -> new TextReply(" a plain continuation", null);
    private final java.util.Set<String> authorizations = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile JsonNode lastJudgeRequest;
    private volatile JsonNode lastCompletionRequest;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration slowDelay = Duration.ofSeconds(5);
    private volatile String requiredKey;
    private volatile boolean logprobs = true;
    private volatile long retryAfterSeconds = 1;
    private FakeFineTuningApi fineTuning;

    public FakeOpenAiServer() throws IOException {
        this(0);
    }

    /** A server on this loopback port (0 for any free one). */
    public FakeOpenAiServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        server.createContext("/v1/chat/completions", ex -> handle(ex, this::chat));
        server.createContext("/v1/completions", ex -> handle(ex, this::textCompletion));
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL to put in a model reference: {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public String ref(String model) {
        return baseUrl() + "#" + model;
    }

    /** The files and fine-tuning endpoints on this server, installed on first use. */
    public synchronized FakeFineTuningApi fineTuning() {
        if (fineTuning == null) {
            fineTuning = new FakeFineTuningApi(this);
        }
        return fineTuning;
    }

    void addContext(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    String requiredKey() {
        return requiredKey;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Answers sampling requests (those without logprobs and temperature > 0) from the request body. */
    public FakeOpenAiServer sampler(Function<JsonNode, String> f) {
        sampler = f;
        return this;
    }

    /** Answers judge requests (temperature 0) from the judge prompt. */
    public FakeOpenAiServer judge(Function<String, JudgeReply> f) {
        judge = f;
        return this;
    }

    /** Answers {@code /v1/completions} requests from the request body. */
    public FakeOpenAiServer completer(Function<JsonNode, TextReply> f) {
        completer = f;
        return this;
    }

    public FakeOpenAiServer latency(Duration d) {
        latency = d;
        return this;
    }

    /** Requests without {@code Authorization: Bearer key} get 401. */
    public FakeOpenAiServer requireKey(String key) {
        requiredKey = key;
        return this;
    }

    /** When false, responses carry no logprobs, like servers that do not support them. */
    public FakeOpenAiServer logprobs(boolean enabled) {
        logprobs = enabled;
        return this;
    }

    public FakeOpenAiServer slowDelay(Duration d) {
        slowDelay = d;
        return this;
    }

    public FakeOpenAiServer retryAfterSeconds(long s) {
        retryAfterSeconds = s;
        return this;
    }

    /** The next requests, in arrival order, suffer these faults; later ones are served normally. */
    public FakeOpenAiServer faults(Fault... next) {
        faults.addAll(List.of(next));
        return this;
    }

    /** Every Authorization header this server was sent ("none" for requests without one), to check where keys go. */
    public java.util.Set<String> authorizations() {
        return java.util.Set.copyOf(authorizations);
    }

    public int requests() {
        return requests.get();
    }

    public int sampleRequests() {
        return sampleRequests.get();
    }

    public int judgeRequests() {
        return judgeRequests.get();
    }

    /** Requests to {@code /v1/completions} that were answered. */
    public int completionRequests() {
        return completionRequests.get();
    }

    /** The body of the latest answered {@code /v1/completions} request. */
    public JsonNode lastCompletionRequest() {
        return lastCompletionRequest;
    }

    /** The body of the latest judge request, to check its parameters. */
    public JsonNode lastJudgeRequest() {
        return lastJudgeRequest;
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The response body for a request that passed the key check and suffered no fault. */
    private interface Answer {
        String answer(JsonNode body);
    }

    private void handle(HttpExchange ex, Answer answer) throws IOException {
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, "{\"error\":{\"message\":\"use POST\"}}");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "none" : auth);
            if (requiredKey != null && !("Bearer " + requiredKey).equals(auth)) {
                String shown = auth == null ? "none" : auth.replace("Bearer ", "");
                send(ex, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + shown + "\"}}");
                return;
            }
            JsonNode body = Json.MAPPER.readTree(ex.getRequestBody());
            Fault fault = faults.poll();
            if (fault != null && applyFault(ex, fault)) {
                return;
            }
            sleep(latency);
            send(ex, 200, answer.answer(body));
        } catch (RuntimeException e) {
            send(ex, 500, "{\"error\":{\"message\":\"fake server bug: " + e + "\"}}");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private String chat(JsonNode body) {
        boolean isJudge = body.path("temperature").asDouble(1) == 0.0;
        String content;
        List<TokenLogprob> top = null;
        if (isJudge) {
            judgeRequests.incrementAndGet();
            lastJudgeRequest = body;
            JudgeReply reply = judge.apply(body.path("messages").path(0).path("content").asText());
            content = reply.text();
            top = body.path("logprobs").asBoolean(false) && logprobs ? reply.top() : null;
        } else {
            sampleRequests.incrementAndGet();
            content = sampler.apply(body);
        }
        return completion(body.path("model").asText(), content, top).toString();
    }

    /** The legacy completions format: choices[0].text, and logprobs.top_logprobs as {token: logprob} objects. */
    private String textCompletion(JsonNode body) {
        completionRequests.incrementAndGet();
        lastCompletionRequest = body;
        TextReply reply = completer.apply(body);
        String text = reply.text();
        String finish = "length";
        for (JsonNode stop : body.path("stop")) {
            int at = text.indexOf(stop.asText());
            if (at >= 0) {
                text = text.substring(0, at);
                finish = "stop";
            }
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", "cmpl-fake");
        root.put("object", "text_completion");
        root.put("model", body.path("model").asText());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", text);
        choice.put("finish_reason", finish);
        if (reply.top() != null && body.path("logprobs").isInt() && logprobs) {
            ObjectNode lp = choice.putObject("logprobs");
            lp.putArray("tokens").add(reply.top().isEmpty() ? "" : reply.top().get(0).token());
            lp.putArray("token_logprobs").add(reply.top().isEmpty() ? 0 : reply.top().get(0).logprob());
            ObjectNode first = lp.putArray("top_logprobs").addObject();
            reply.top().forEach(t -> first.put(t.token(), t.logprob()));
            lp.putArray("text_offset").add(0);
        } else {
            choice.putNull("logprobs");
        }
        return root.toString();
    }

    /** Returns true when the fault replaced the response. */
    private boolean applyFault(HttpExchange ex, Fault fault) throws IOException {
        switch (fault) {
            case RATE_LIMIT -> {
                ex.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
                send(ex, 429, "{\"error\":{\"message\":\"Rate limit reached\"}}");
            }
            case SERVER_ERROR -> send(ex, 500, "{\"error\":{\"message\":\"internal error\"}}");
            case SLOW -> {
                sleep(slowDelay);
                send(ex, 200, completion("m", "too late", null).toString());
            }
            case TRUNCATED -> {
                String full = completion("m", "cut short", null).toString();
                send(ex, 200, full.substring(0, full.length() / 2));
            }
            case DROP_CONNECTION -> {
                ex.sendResponseHeaders(200, 1000);
                ex.getResponseBody().write("{\"choices\":".getBytes(StandardCharsets.UTF_8));
                ex.getResponseBody().flush();
                ex.close();
            }
        }
        return true;
    }

    private static ObjectNode completion(String model, String content, List<TokenLogprob> top) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", "chat.completion");
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", "stop");
        if (top != null) {
            ArrayNode alts = Json.MAPPER.createArrayNode();
            for (TokenLogprob t : top) {
                alts.addObject().put("token", t.token()).put("logprob", t.logprob());
            }
            ObjectNode first = choice.putObject("logprobs").putArray("content").addObject();
            first.put("token", top.isEmpty() ? "" : top.get(0).token());
            first.put("logprob", top.isEmpty() ? 0 : top.get(0).logprob());
            first.set("top_logprobs", alts);
        } else {
            choice.putNull("logprobs");
        }
        root.set("usage", Json.MAPPER.valueToTree(Map.of("prompt_tokens", 10, "completion_tokens", 5)));
        return root;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        } catch (IOException clientGone) {
            // the client timed out and closed the connection: nothing to deliver
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Probabilities to logprobs, for writing judge replies by hand. */
    public static List<TokenLogprob> probs(Object... tokenAndProb) {
        List<TokenLogprob> out = new ArrayList<>();
        for (int i = 0; i < tokenAndProb.length; i += 2) {
            out.add(new TokenLogprob((String) tokenAndProb[i], Math.log(((Number) tokenAndProb[i + 1]).doubleValue())));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
