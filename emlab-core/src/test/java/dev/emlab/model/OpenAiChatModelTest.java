package dev.emlab.model;

import static dev.emlab.testing.FakeOpenAiServer.Fault.DROP_CONNECTION;
import static dev.emlab.testing.FakeOpenAiServer.Fault.RATE_LIMIT;
import static dev.emlab.testing.FakeOpenAiServer.Fault.SERVER_ERROR;
import static dev.emlab.testing.FakeOpenAiServer.Fault.SLOW;
import static dev.emlab.testing.FakeOpenAiServer.Fault.TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.testing.FakeOpenAiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(500));
    private static final ChatRequest ASK = new ChatRequest(List.of(ChatMessage.user("hi")), 1.0, 1.0, 50, null, null);

    private FakeOpenAiServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeOpenAiServer().sampler(body -> "echo " + body.path("messages").path(0).path("content").asText());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiChatModel model(String key, RetryPolicy retry) {
        return new OpenAiChatModel((EndpointRef) ModelRef.parse(server.ref("m")), key, retry);
    }

    @Test
    void returnsTheAnswerAndTheJudgeLogprobs() {
        assertEquals("echo hi", model(null, FAST).complete(ASK).text());
        server.judge(p -> new FakeOpenAiServer.JudgeReply(FakeOpenAiServer.probs("7", 0.5, "8", 0.5), "7"));
        Completion c = model(null, FAST).complete(new ChatRequest(List.of(ChatMessage.user("judge")), 0, 1, 1, 0, 20));
        assertEquals(2, c.firstTokenTopLogprobs().size());
        assertEquals("8", c.firstTokenTopLogprobs().get(1).token());
        assertEquals(Math.log(0.5), c.firstTokenTopLogprobs().get(1).logprob(), 1e-12);
    }

    @Test
    void retriesEveryTransientFault() {
        server.slowDelay(Duration.ofSeconds(2)).faults(RATE_LIMIT, SERVER_ERROR, SLOW, TRUNCATED);
        assertEquals("echo hi", model(null, FAST).complete(ASK).text());
        assertEquals(5, server.requests());
    }

    @Test
    void droppedConnectionIsRetried() {
        server.faults(DROP_CONNECTION);
        assertEquals("echo hi", model(null, FAST).complete(ASK).text());
    }

    @Test
    void honoursRetryAfter() {
        server.retryAfterSeconds(1).faults(RATE_LIMIT);
        long start = System.nanoTime();
        model(null, FAST).complete(ASK);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        // FAST's own backoff is at most 200 ms; only the server's Retry-After: 1 explains a 1 s wait
        assertTrue(waitedMs >= 950, "waited " + waitedMs + " ms");
    }

    @Test
    void givesUpAfterTheRetriesWithTheLastFault() {
        server.faults(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR, SERVER_ERROR, SERVER_ERROR);
        RequestFailedException e = assertThrows(RequestFailedException.class, () -> model(null, FAST).complete(ASK));
        assertTrue(e.getMessage().contains("gave up after 5 attempts") && e.getMessage().contains("HTTP 500"), e.getMessage());
    }

    @Test
    void wrongKeyIsFatalAndNeverShown() {
        server.requireKey("sk-right");
        EndpointException e = assertThrows(EndpointException.class, () -> model("sk-wrong-secret", FAST).complete(ASK));
        assertTrue(e.getMessage().contains("rejected the API key (HTTP 401)"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-wrong-secret"), e.getMessage());
        assertEquals(1, server.requests(), "a rejected key is not retried");
        assertEquals("echo hi", model("sk-right", FAST).complete(ASK).text());
    }

    @Test
    void unreachableEndpointIsFatal() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpenAiChatModel m = new OpenAiChatModel((EndpointRef) ModelRef.parse("http://127.0.0.1:" + port + "/v1#m"), null, FAST);
        EndpointException e = assertThrows(EndpointException.class, () -> m.complete(ASK));
        assertTrue(e.getMessage().startsWith("Cannot reach http://127.0.0.1:" + port + "/v1"), e.getMessage());
    }

    @Test
    void aServerThatRestartsIsWaitedForAsLongAsTheRetriesAllow() throws Exception {
        // 8 retries wait at least 2.25 s in all (jitter halves a wait at most), for a server back after 1.5 s
        OpenAiChatModel m = model(null, new RetryPolicy(8, Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(5)));
        assertEquals("echo hi", m.complete(ASK).text());
        int port = java.net.URI.create(server.baseUrl()).getPort();
        server.close();
        // the server comes back after about 1.5 s, longer than the fail-fast allowance of a never-seen server
        var restarted = new java.util.concurrent.CompletableFuture<FakeOpenAiServer>();
        Thread back = new Thread(() -> {
            try {
                Thread.sleep(1500);
                restarted.complete(new FakeOpenAiServer(port).sampler(body -> "back again"));
            } catch (Exception e) {
                restarted.completeExceptionally(e);
            }
        });
        back.start();
        try {
            assertEquals("back again", m.complete(ASK).text());
        } finally {
            restarted.get().close();
        }
    }

    @Test
    void aRefusedConnectionToAServerNeverSeenFailsFastAndSaysHowToResume() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpenAiChatModel m = new OpenAiChatModel((EndpointRef) ModelRef.parse("http://127.0.0.1:" + port + "/v1#m"), null,
                new RetryPolicy(8, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(5)));
        long start = System.nanoTime();
        EndpointException e = assertThrows(EndpointException.class, () -> m.complete(ASK));
        assertTrue((System.nanoTime() - start) / 1e9 < 3, "a typo'd port fails fast");
        assertTrue(e.getMessage().contains("connection refused, 3 attempts") && e.getMessage().contains("Run the same command"
                + " again to resume"), e.getMessage());
    }

    @Test
    void noLogprobsFromTheServerMeansNone() {
        server.logprobs(false);
        Completion c = model(null, FAST).complete(new ChatRequest(List.of(ChatMessage.user("judge")), 0, 1, 1, 0, 20));
        assertNull(c.firstTokenTopLogprobs());
    }

    @Test
    void modelRefsParseOrExplain() {
        assertEquals(new EndpointRef("https://api.openai.com/v1", "gpt-4o", "openai:gpt-4o"), ModelRef.parse("openai:gpt-4o"));
        EndpointRef local = (EndpointRef) ModelRef.parse("http://localhost:8000/v1/#qwen");
        assertEquals("http://localhost:8000/v1", local.baseUrl());
        assertEquals("qwen", local.model());
        assertTrue(assertThrows(dev.emlab.InputException.class, () -> ModelRef.parse("http://localhost:8000/v1"))
                .getMessage().contains("model name after '#'"));
        assertTrue(assertThrows(dev.emlab.InputException.class, () -> ModelRef.parse("gpt-4o"))
                .getMessage().contains("Use openai:<model>"));
    }
}
