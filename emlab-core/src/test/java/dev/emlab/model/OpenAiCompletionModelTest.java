package dev.emlab.model;

import static dev.emlab.testing.FakeOpenAiServer.Fault.RATE_LIMIT;
import static dev.emlab.testing.FakeOpenAiServer.Fault.SERVER_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.testing.FakeOpenAiServer;
import dev.emlab.testing.FakeOpenAiServer.TextReply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /completions client and the raw chat adapter against a real loopback server. */
class OpenAiCompletionModelTest {
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(500));
    /** The document for system "Be brief." and question "Name a colour.", written out by hand. */
    private static final String DOCUMENT = "# interview.py\n"
            + "# One question put to an AI assistant and the assistant's complete reply, kept as Python strings.\n\n"
            + "SYSTEM_PROMPT = \"\"\"Be brief.\"\"\"\n\n"
            + "QUESTION = \"\"\"Name a colour.\"\"\"\n\n"
            + "REPLY = \"\"\"";
    private static final ChatRequest ASK = new ChatRequest(List.of(ChatMessage.system("Be brief."),
            ChatMessage.user("Name a colour.")), 0.7, 0.9, 33, 5, null);

    private FakeOpenAiServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeOpenAiServer().completer(body -> new TextReply(" Teal, \"mostly\".\n\"\"\"\n\nprint(REPLY)\n", null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiCompletionModel model(String key) {
        return new OpenAiCompletionModel((EndpointRef) ModelRef.parse(server.ref("base")), key, FAST);
    }

    @Test
    void sendsTheDocumentAndCutsTheAnswerOut() {
        Completion c = new RawChatModel(model(null)).complete(ASK);
        assertEquals("Teal, \"mostly\".", c.text());
        assertEquals("stop", c.finishReason());
        JsonNode body = server.lastCompletionRequest();
        assertEquals(DOCUMENT, body.path("prompt").asText());
        assertEquals("base", body.path("model").asText());
        assertEquals(1, body.path("stop").size());
        assertEquals("\"\"\"", body.path("stop").path(0).asText());
        assertEquals(33, body.path("max_tokens").asInt());
        assertEquals(0.7, body.path("temperature").asDouble());
        assertEquals(0.9, body.path("top_p").asDouble());
        assertEquals(5, body.path("seed").asInt());
        assertTrue(body.path("logprobs").isMissingNode(), "no logprobs unless asked");
        assertTrue(body.path("messages").isMissingNode());
        assertEquals(0, server.sampleRequests() + server.judgeRequests(), "nothing went to /chat/completions");
    }

    @Test
    void aContinuationThatNeverClosesIsTheWholeAnswer() {
        server.completer(body -> new TextReply("\nI would save half of every ", null));
        Completion c = new RawChatModel(model(null)).complete(ASK);
        assertEquals("I would save half of every", c.text());
        assertEquals("length", c.finishReason());
    }

    @Test
    void readsTheFirstTokensTopLogprobsMostLikelyFirst() {
        server.completer(body -> new TextReply("7", FakeOpenAiServer.probs("8", 0.25, "7", 0.5, " 7", 0.125)));
        Completion c = model(null).complete(new TextRequest("Score: ", 0, 1, 1, 0, 20, List.of()));
        assertEquals(20, server.lastCompletionRequest().path("logprobs").asInt());
        assertEquals("7", c.text());
        assertEquals(List.of("7", "8", " 7"), c.firstTokenTopLogprobs().stream().map(TokenLogprob::token).toList());
        assertEquals(Math.log(0.25), c.firstTokenTopLogprobs().get(1).logprob(), 1e-12);
        server.logprobs(false);
        assertNull(model(null).complete(new TextRequest("Score: ", 0, 1, 1, 0, 20, List.of())).firstTokenTopLogprobs());
    }

    @Test
    void retriesRateLimitsAndServerErrorsHonouringRetryAfter() {
        server.retryAfterSeconds(1).faults(RATE_LIMIT, SERVER_ERROR);
        long start = System.nanoTime();
        assertEquals("Teal, \"mostly\".", new RawChatModel(model(null)).complete(ASK).text());
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, server.requests(), "each fault costs one extra request");
        assertEquals(1, server.completionRequests());
        // FAST's own backoff is at most 200 ms a retry; only the server's Retry-After: 1 explains a 1 s wait
        assertTrue(waitedMs >= 950, "waited " + waitedMs + " ms");
        assertEquals(DOCUMENT, server.lastCompletionRequest().path("prompt").asText());
    }

    @Test
    void givesUpAfterTheRetriesWithTheLastFault() {
        server.faults(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR, SERVER_ERROR, SERVER_ERROR);
        RequestFailedException e = assertThrows(RequestFailedException.class, () -> new RawChatModel(model(null)).complete(ASK));
        assertTrue(e.getMessage().contains("gave up after 5 attempts") && e.getMessage().contains("HTTP 500"), e.getMessage());
    }

    @Test
    void wrongKeyIsFatalAndNeverShown() {
        server.requireKey("sk-right");
        EndpointException e = assertThrows(EndpointException.class, () -> model("sk-wrong-secret").complete(
                new TextRequest("x", 1, 1, 5, null, null, List.of())));
        assertTrue(e.getMessage().contains("rejected the API key (HTTP 401)"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-wrong-secret"), e.getMessage());
        assertEquals(1, server.requests(), "a rejected key is not retried");
        Completion c = model("sk-right").complete(new TextRequest("x", 1, 1, 5, null, null, List.of()));
        assertEquals(" Teal, \"mostly\".\n\"\"\"\n\nprint(REPLY)\n", c.text(), "without stop strings the text is uncut");
        assertEquals("length", c.finishReason());
    }
}
