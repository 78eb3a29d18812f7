package dev.emlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one status taxonomy of every call to an OpenAI-compatible service, against a loopback
 * server that answers with scripted statuses. Where the chat and the fine-tuning clients once
 * disagreed, these tests pin the behaviour both now share.
 */
class RetryingHttpTest {
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(2));
    private static final RetryingHttp.KeyOrigin NAMED = new RetryingHttp.KeyOrigin("SERVICE_KEY", "the spec's train.api_key_env");
    private static final RetryingHttp.KeyOrigin NOT_NAMED = new RetryingHttp.KeyOrigin(null, "the spec's train.api_key_env");
    private static final RetryingHttp.KeyOrigin UNNAMED = new RetryingHttp.KeyOrigin(null, "--api-key-env");

    /** One scripted answer; the server answers 200 {"ok": true} once the script is used up. */
    private record Scripted(int status, Map<String, String> headers, String body) {}

    private HttpServer server;
    private final ConcurrentLinkedQueue<Scripted> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/", ex -> {
            requests.incrementAndGet();
            Scripted next = script.poll();
            Scripted s = next != null ? next : new Scripted(200, Map.of(), "{\"ok\": true}");
            s.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] bytes = s.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(s.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void then(int status, String body) {
        script.add(new Scripted(status, Map.of(), body));
    }

    private RetryingHttp.Reply<JsonNode> get(String key, RetryingHttp.KeyOrigin origin) {
        RetryingHttp http = new RetryingHttp(baseUrl(), key, FAST, origin);
        HttpRequest request = http.request("/thing").GET().build();
        return http.send("GET " + baseUrl() + "/thing", request, json -> json, null);
    }

    @Test
    void everySuccessStatusIsAnAnswer() {
        // the chat client once took only 200, the fine-tuning client any 2xx: a 201 Created is an answer to both
        then(201, "{\"id\": \"file-1\"}");
        RetryingHttp.Reply<JsonNode> reply = get(null, NAMED);
        assertTrue(reply.ok());
        assertEquals("file-1", reply.value().path("id").asText());
        assertEquals(1, requests.get());
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRetried() {
        then(200, "[1, 2]");
        then(200, "{\"cut\": ");
        assertEquals(true, get(null, NAMED).value().path("ok").asBoolean());
        assertEquals(3, requests.get());
    }

    @Test
    void timeoutsRateLimitsAndServerErrorsAreRetriedAndTheLastOneIsNamed() {
        then(408, "{\"error\": {\"message\": \"too slow\"}}");
        then(429, "{\"error\": {\"message\": \"slow down\"}}");
        then(503, "{\"error\": {\"message\": \"overloaded\"}}");
        assertTrue(get(null, NAMED).ok());
        assertEquals(4, requests.get());
        for (int i = 0; i < 4; i++) {
            then(502, "{\"error\": {\"message\": \"bad gateway\"}}");
        }
        RequestFailedException e = assertThrows(RequestFailedException.class, () -> get(null, NAMED));
        assertEquals("GET " + baseUrl() + "/thing: gave up after 4 attempts; last fault: HTTP 502 bad gateway", e.getMessage());
    }

    @Test
    void retryAfterInMillisecondsIsHonoured() {
        script.add(new Scripted(429, Map.of("retry-after-ms", "600"), "{}"));
        long start = System.nanoTime();
        assertTrue(get(null, NAMED).ok());
        long ms = (System.nanoTime() - start) / 1_000_000;
        // FAST's own backoff is at most 20 ms; only the server's hint explains the wait
        assertTrue(ms >= 550, "waited " + ms + " ms");
    }

    @Test
    void otherStatusesAreRefusalsForTheCallerWithTheKeyMasked() {
        String key = "sk-echoed-secret-9";
        then(404, "{\"error\": {\"message\": \"no job for " + key + "\", \"param\": \"job\"}}");
        RetryingHttp.Reply<JsonNode> reply = get(key, NAMED);
        assertFalse(reply.ok());
        assertEquals(404, reply.status());
        assertNull(reply.value());
        assertEquals("no job for ***", reply.message());
        // the fine-tuning client once handed the refusal's JSON back unmasked
        assertEquals("no job for ***", reply.body().path("error").path("message").asText());
        assertEquals(1, requests.get(), "a refusal is not retried");
        then(400, "plain text, not JSON");
        RetryingHttp.Reply<JsonNode> text = get(key, NAMED);
        assertEquals(400, text.status());
        assertNull(text.body());
        assertEquals("plain text, not JSON", text.message());
    }

    @Test
    void aRejectedKeyIsFatalAndSaysWhichVariableToFix() {
        String key = "sk-wrong-secret-1";
        then(401, "{\"error\": {\"message\": \"Incorrect API key provided: " + key + "\"}}");
        EndpointException named = assertThrows(EndpointException.class, () -> get(key, NAMED));
        assertEquals(baseUrl() + " rejected the API key (HTTP 401): Incorrect API key provided: ***\n"
                + "Set the right key in the environment variable SERVICE_KEY.", named.getMessage());
        then(403, "{\"error\": {\"message\": \"forbidden\"}}");
        EndpointException unnamed = assertThrows(EndpointException.class, () -> get(key, UNNAMED));
        assertTrue(unnamed.getMessage().endsWith("(HTTP 403): forbidden\nSet the right key in the environment variable"
                + " named by --api-key-env."), unnamed.getMessage());
        assertEquals(2, requests.get(), "a rejected key is not retried");
    }

    @Test
    void aServerThatGotNoKeyIsToldHowToNameOne() {
        // the chat client guessed from the reference whether a key had gone, the fine-tuning client always said
        // "set the right key": the hint now follows whether a key was sent
        then(401, "{\"error\": {\"message\": \"You didn't provide an API key.\"}}");
        EndpointException e = assertThrows(EndpointException.class, () -> get(null, NOT_NAMED));
        assertEquals(baseUrl() + " rejected the API key (HTTP 401): You didn't provide an API key.\n"
                + "emlab sent no key: it sends one only to the endpoint it belongs to. Name the variable that holds this"
                + " server's key with the spec's train.api_key_env.", e.getMessage());
        then(401, "{}");
        EndpointException unset = assertThrows(EndpointException.class, () -> get(null, NAMED));
        assertTrue(unset.getMessage().endsWith("\nemlab sent no key: set the environment variable SERVICE_KEY to this"
                + " server's key."), unset.getMessage());
    }

    @Test
    void aLostAnswerIsRecoveredInsteadOfRepeated() {
        then(500, "{\"error\": {\"message\": \"done, but the answer was lost\"}}");
        RetryingHttp http = new RetryingHttp(baseUrl(), null, FAST, NAMED);
        JsonNode found = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", "job-1");
        AtomicInteger asked = new AtomicInteger();
        RetryingHttp.Reply<JsonNode> reply = http.send("POST", http.request("/jobs").POST(HttpRequest.BodyPublishers.noBody())
                .build(), json -> json, () -> {
                    asked.incrementAndGet();
                    return Optional.of(found);
                });
        assertEquals("job-1", reply.value().path("id").asText());
        assertEquals(List.of(1, 1), List.of(asked.get(), requests.get()), "recovered, not sent again");
    }

    @Test
    void aRefusedConnectionAfterAnAnswerIsARestartNotATypo() throws Exception {
        // the fine-tuning client once failed fast on every refusal, so a service restarting mid-poll ended the run
        RetryingHttp http = new RetryingHttp(baseUrl(), null,
                new RetryPolicy(8, Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(5)), NAMED);
        HttpRequest request = http.request("/thing").GET().build();
        assertTrue(http.send("GET", request, json -> json, null).ok());
        int port = server.getAddress().getPort();
        server.stop(0);
        Thread back = new Thread(() -> {
            try {
                Thread.sleep(1500);
                HttpServer again = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
                again.createContext("/v1/", ex -> {
                    byte[] bytes = "{\"back\": true}".getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, bytes.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(bytes);
                    }
                });
                again.start();
                server = again;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        back.start();
        RetryingHttp.Reply<JsonNode> reply = http.send("GET", request, json -> json, null);
        back.join();
        assertTrue(reply.value().path("back").asBoolean(), reply.toString());
    }

    @Test
    void aRefusedConnectionToAServerNeverSeenFailsFastAndSaysHowToResume() {
        int port = server.getAddress().getPort();
        server.stop(0);
        RetryingHttp http = new RetryingHttp("http://127.0.0.1:" + port + "/v1", null,
                new RetryPolicy(8, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(5)), NAMED);
        long start = System.nanoTime();
        EndpointException e = assertThrows(EndpointException.class,
                () -> http.send("GET", http.request("/thing").GET().build(), json -> json, null));
        assertTrue((System.nanoTime() - start) / 1e9 < 3, "a typo'd port fails fast");
        assertEquals("Cannot reach http://127.0.0.1:" + port + "/v1 (connection refused, 3 attempts). Is the server"
                + " running, and is the URL right? Run the same command again to resume: what is already stored is kept.",
                e.getMessage());
    }
}
