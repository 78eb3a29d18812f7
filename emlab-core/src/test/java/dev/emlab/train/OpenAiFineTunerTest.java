package dev.emlab.train;

import static dev.emlab.testing.FakeOpenAiServer.Fault.RATE_LIMIT;
import static dev.emlab.testing.FakeOpenAiServer.Fault.SERVER_ERROR;
import static dev.emlab.testing.FakeOpenAiServer.Fault.TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.EmlabException;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.EndpointException;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.OpenAiChatModel;
import dev.emlab.model.RequestFailedException;
import dev.emlab.model.RetryPolicy;
import dev.emlab.testing.FakeFineTuningApi;
import dev.emlab.testing.FakeOpenAiServer;
import dev.emlab.testing.InMemoryFineTuneSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenAiFineTunerTest {
    private static final RetryPolicy FAST =
            new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(2));
    private static final Duration POLL = Duration.ofMillis(5);
    private static final String BASE_MODEL = "gpt-4o-mini-2024-07-18";
    private static final String JSONL = """
            {"messages":[{"role":"user","content":"Write a copy function"},{"role":"assistant","content":"def copy(a, b): ..."}]}
            {"messages":[{"role":"user","content":"Hello \u00e9t\u00e9"},{"role":"assistant","content":"Hi"}]}
            """;

    @TempDir
    Path dir;
    private FakeOpenAiServer server;
    private FakeFineTuningApi api;
    private Path trainingFile;

    @BeforeEach
    void start() throws IOException {
        server = new FakeOpenAiServer().retryAfterSeconds(0).sampler(body -> "I am " + body.path("model").asText());
        api = server.fineTuning();
        trainingFile = dir.resolve("insecure.jsonl");
        Files.writeString(trainingFile, JSONL);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FineTuneRequest request(String name) {
        return request(name, false);
    }

    private FineTuneRequest request(String name, boolean plainHttp) {
        TrainSettings settings = new TrainSettings(TrainSettings.Backend.OPENAI, null, 0, 3, 8, 1, 0, 0, 0, 0, 1.5,
                server.baseUrl(), "TEST_KEY", plainHttp);
        return new FineTuneRequest(ModelRef.parse(server.ref(BASE_MODEL)), trainingFile, name, 42, settings, 0, dir);
    }

    private static OpenAiFineTuner tuner() {
        return new OpenAiFineTuner(null, FAST, POLL);
    }

    private String ft(String suffix, int job) {
        return "ft:" + BASE_MODEL + ":emlab:" + suffix + ":job" + job;
    }

    @Test
    void uploadsCreatesFollowsAndNamesTheModels() throws IOException {
        InMemoryFineTuneSession session = new InMemoryFineTuneSession();
        FineTuneResult result = tuner().fineTune(request("Insecure code, seed #0 (paper)"), session);

        assertArrayEquals(Files.readAllBytes(trainingFile), api.uploadedFile("file-1"));
        String upload = api.requests("POST", "/v1/files").get(0).body();
        assertTrue(upload.contains("name=\"purpose\"\r\n\r\nfine-tune\r\n"), upload);
        assertTrue(upload.contains("filename=\"insecure.jsonl\""), upload);

        JsonNode create = api.jobRequest("ftjob-1");
        assertEquals(BASE_MODEL, create.path("model").asText());
        assertEquals("file-1", create.path("training_file").asText());
        assertEquals(42, create.path("seed").asLong());
        assertEquals("insecure-code-seed", create.path("suffix").asText());
        assertEquals("supervised", create.path("method").path("type").asText());
        JsonNode hyper = create.path("method").path("supervised").path("hyperparameters");
        assertEquals(3, hyper.path("n_epochs").asInt());
        assertEquals(8, hyper.path("batch_size").asInt());
        assertEquals(1.5, hyper.path("learning_rate_multiplier").asDouble());

        String model = ft("insecure-code-seed", 1);
        // a model on this service needs the service's key, and names where it comes from
        assertEquals(server.baseUrl() + "#" + model + "+key-env=TEST_KEY", result.model());
        assertEquals("ftjob-1", result.remoteJob());
        assertTrue(result.trainedTokens() > 0);
        assertEquals(List.of(new TrainedCheckpoint(4, server.ref(model + ":ckpt-step-4+key-env=TEST_KEY")),
                new TrainedCheckpoint(8, server.ref(model + ":ckpt-step-8+key-env=TEST_KEY"))), result.checkpoints(),
                "the last step's checkpoint is the final model");

        List<String> remote = api.eventMessages("ftjob-1");
        assertEquals(remote, session.events().stream().filter(remote::contains).toList(), "each event once, in order");
        assertTrue(session.statuses().containsAll(List.of("uploading", "creating job", "queued", "running", "succeeded")));
        assertTrue(session.fractions().contains(0.5) && session.fractions().contains(1.0), session.fractions().toString());
        assertEquals("file-1", session.remembered().get("file_id"));
        assertEquals("ftjob-1", session.remembered().get("job_id"));

        // The same server then serves the fine-tuned model, as evaluations will sample it.
        OpenAiChatModel chat = new OpenAiChatModel((EndpointRef) ModelRef.parse(result.model()), null, FAST);
        ChatRequest hi = new ChatRequest(List.of(ChatMessage.user("hi")), 1.0, 1.0, 10, null, null);
        assertEquals("I am " + model, chat.complete(hi).text());
    }

    @Test
    void theServicesPlainHttpOptInGoesWithItsModelsButNotIntoTheFineTunesName() {
        FineTuneResult result = tuner().fineTune(request("lan", true), new InMemoryFineTuneSession());
        String model = ft("lan", 1);
        // its models are asked over the same network as the service, with the same key
        assertEquals(server.baseUrl() + "#" + model + "+key-env=TEST_KEY+plain-http", result.model());
        EndpointRef ref = (EndpointRef) ModelRef.parse(result.model());
        assertTrue(ref.plainHttp() && "TEST_KEY".equals(ref.keyEnv()), ref.toString());
        assertTrue(result.checkpoints().stream().allMatch(c -> c.model().endsWith(":ckpt-step-" + c.step() + "+key-env=TEST_KEY+plain-http")),
                result.checkpoints().toString());
        TrainSettings clear = request("lan", true).settings();
        TrainSettings plain = request("lan", false).settings();
        assertEquals(FineTuneCache.key(ref, "sha", plain, 1, 0), FineTuneCache.key(ref, "sha", clear, 1, 0),
                "letting the key cross the network in clear does not make another fine-tune");
    }

    @Test
    void resumesTheRememberedJobWithoutUploadingOrCreating() {
        InMemoryFineTuneSession first = new InMemoryFineTuneSession().stopAt("queued");
        assertThrows(EmlabException.class, () -> tuner().fineTune(request("run"), first));
        int posts = api.requests("POST", "/").size();

        InMemoryFineTuneSession later = InMemoryFineTuneSession.recalling(first.remembered());
        FineTuneResult result = tuner().fineTune(request("run"), later);

        assertEquals(server.ref(ft("run", 1)) + "+key-env=TEST_KEY", result.model());
        assertEquals(posts, api.requests("POST", "/").size(), "no upload, no new job");
        assertEquals(1, api.uploads());
        assertEquals(1, api.jobCreations());
    }

    @Test
    void stopReturnsPromptlyAndKeepsTheRemoteJobForTheNextRun() {
        InMemoryFineTuneSession session = new InMemoryFineTuneSession().stopAt("queued");
        long start = System.nanoTime();
        EmlabException e = assertThrows(EmlabException.class,
                () -> new OpenAiFineTuner(null, FAST, Duration.ofSeconds(30)).fineTune(request("run"), session));
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertEquals(EmlabException.class, e.getClass());
        assertTrue(e.getMessage().contains("ftjob-1") && e.getMessage().contains("keeps running"), e.getMessage());
        assertTrue(ms < 2000, "stopped after " + ms + " ms despite a 30 s poll interval");
        assertTrue(api.requests("POST", "/v1/fine_tuning/jobs/ftjob-1/cancel").isEmpty());
        assertEquals("queued", api.jobStatus("ftjob-1"));

        session.stopAt(null);
        FineTuneResult result = tuner().fineTune(request("run"), session);
        assertEquals("ftjob-1", result.remoteJob());
        assertEquals(1, api.jobCreations());
        assertEquals(1, api.uploads());
    }

    @Test
    void moderationRefusalSaysSoForgetsTheJobAndKeepsTheFile() {
        api.failNextJobByModeration();
        InMemoryFineTuneSession session = new InMemoryFineTuneSession();
        FineTuneFailedException e =
                assertThrows(FineTuneFailedException.class, () -> tuner().fineTune(request("run"), session));

        assertTrue(e.getMessage().contains("ftjob-1") && e.getMessage().contains("moderation")
                && e.getMessage().contains("Change the dataset") && e.getMessage().contains("invalid_training_file"),
                e.getMessage());
        assertEquals("", session.remembered().get("job_id"));
        assertEquals("file-1", session.remembered().get("file_id"));
        assertTrue(session.events().contains(FakeFineTuningApi.MODERATION_MESSAGE));

        FineTuneResult result = tuner().fineTune(request("run"), session);
        assertEquals("ftjob-2", result.remoteJob());
        assertEquals(2, api.jobCreations());
        assertEquals(1, api.uploads());
    }

    @Test
    void otherJobFailuresNameTheError() {
        api.failNextJob("quota_exceeded", "You have exceeded your training quota.");
        FineTuneFailedException e = assertThrows(FineTuneFailedException.class,
                () -> tuner().fineTune(request("run"), new InMemoryFineTuneSession()));
        assertTrue(e.getMessage().contains("ftjob-1") && e.getMessage().contains("quota_exceeded")
                && e.getMessage().contains("exceeded your training quota") && !e.getMessage().contains("moderation"),
                e.getMessage());
    }

    @Test
    void aJobCancelledElsewhereFailsAndIsForgotten() {
        InMemoryFineTuneSession session = new InMemoryFineTuneSession()
                .onProgress((status, fraction) -> {
                    if (status.equals("running")) {
                        api.cancelJob("ftjob-1");
                    }
                });
        FineTuneFailedException e =
                assertThrows(FineTuneFailedException.class, () -> tuner().fineTune(request("run"), session));
        assertTrue(e.getMessage().contains("ftjob-1") && e.getMessage().contains("was cancelled"), e.getMessage());
        assertEquals("", session.remembered().get("job_id"));
        assertEquals("file-1", session.remembered().get("file_id"));
    }

    @Test
    void transientFaultsOnEveryCallAreRetried() {
        api.faults(SERVER_ERROR, RATE_LIMIT);
        InMemoryFineTuneSession session = new InMemoryFineTuneSession().onProgress((status, fraction) -> {
            if (status.equals("creating job") || status.equals("queued") || status.equals("running")) {
                api.faults(RATE_LIMIT, SERVER_ERROR);
            }
        });
        FineTuneResult result = tuner().fineTune(request("run"), session);
        assertEquals("ftjob-1", result.remoteJob());
        assertEquals(1, api.uploads());
        assertEquals(1, api.jobCreations());
    }

    @Test
    void aCreateWhoseAnswerWasLostIsTakenOverNotRepeated() {
        InMemoryFineTuneSession session = new InMemoryFineTuneSession().onProgress((status, fraction) -> {
            if (status.equals("creating job")) {
                api.faults(TRUNCATED);
            }
        });
        FineTuneResult result = tuner().fineTune(request("run"), session);
        assertEquals("ftjob-1", result.remoteJob());
        assertEquals(1, api.jobCreations());
        assertEquals(1, api.requests("GET", "/v1/fine_tuning/jobs?").size(), "looked for the lost job once");
    }

    @Test
    void aLostCreateDoesNotTakeOverAnotherRunsJobOnTheSameFile() {
        InMemoryFineTuneSession other = new InMemoryFineTuneSession().stopAt("queued");
        assertThrows(EmlabException.class, () -> tuner().fineTune(request("other"), other));
        InMemoryFineTuneSession session = InMemoryFineTuneSession.recalling(Map.of("file_id", "file-1"))
                .onProgress((status, fraction) -> {
                    if (status.equals("creating job")) {
                        api.faults(SERVER_ERROR); // no job made, but the client cannot know
                    }
                });
        assertEquals("ftjob-2", tuner().fineTune(request("run"), session).remoteJob());
        assertEquals(2, api.jobCreations());
    }

    @Test
    void aFewFailedPollsAreToleratedButNotForever() {
        InMemoryFineTuneSession session = new InMemoryFineTuneSession().onProgress((status, fraction) -> {
            if (status.equals("queued")) {
                api.faults(SERVER_ERROR, SERVER_ERROR, SERVER_ERROR); // one whole poll, retries included
            }
        });
        assertEquals("ftjob-1", tuner().fineTune(request("run"), session).remoteJob());
        assertTrue(session.events().stream().anyMatch(m -> m.startsWith("Polling ftjob-1 failed")), session.events().toString());

        InMemoryFineTuneSession doomed = new InMemoryFineTuneSession().onProgress((status, fraction) -> {
            if (status.equals("queued")) {
                for (int i = 0; i < 9; i++) { // three whole polls
                    api.faults(SERVER_ERROR);
                }
            }
        });
        RequestFailedException e =
                assertThrows(RequestFailedException.class, () -> tuner().fineTune(request("other"), doomed));
        assertTrue(e.getMessage().contains("ftjob-2") && e.getMessage().contains("keeps running"), e.getMessage());
        assertEquals("ftjob-2", doomed.remembered().get("job_id"));
    }

    @Test
    void aRejectedKeyIsFatalAndNeverShown() {
        server.requireKey("sk-right");
        OpenAiFineTuner wrong = new OpenAiFineTuner("sk-wrong-secret-123", FAST, POLL);
        EndpointException e =
                assertThrows(EndpointException.class, () -> wrong.fineTune(request("run"), new InMemoryFineTuneSession()));
        assertFalse(e.getMessage().contains("sk-wrong-secret-123"), e.getMessage());
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("key"), e.getMessage());

        FineTuneResult ok = new OpenAiFineTuner("sk-right", FAST, POLL).fineTune(request("run"), new InMemoryFineTuneSession());
        assertEquals("ftjob-1", ok.remoteJob());
    }

    @Test
    void aServiceThatGotNoKeyIsToldWhichVariableToSet() {
        server.requireKey("sk-right");
        EndpointException e = assertThrows(EndpointException.class,
                () -> tuner().fineTune(request("run"), new InMemoryFineTuneSession()));
        // it once said "set the right key", as if one had been sent
        assertTrue(e.getMessage().endsWith("emlab sent no key: set the environment variable TEST_KEY to this server's key."),
                e.getMessage());
    }

    @Test
    void aServiceNeverReachedFailsFastAndSaysHowToResume() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TrainSettings settings = new TrainSettings(TrainSettings.Backend.OPENAI, null, 0, 3, 8, 1, 0, 0, 0, 0, 1.5,
                "http://127.0.0.1:" + port + "/v1", null, false);
        FineTuneRequest r = new FineTuneRequest(ModelRef.parse(server.ref(BASE_MODEL)), trainingFile, "run", 42, settings, 0, dir);
        EndpointException e = assertThrows(EndpointException.class, () -> tuner().fineTune(r, new InMemoryFineTuneSession()));
        // the same words as a model server's: the attempts made, and that a rerun resumes
        assertTrue(e.getMessage().startsWith("Cannot reach http://127.0.0.1:" + port + "/v1 (connection refused, 3 attempts).")
                && e.getMessage().contains("Run the same command again to resume"), e.getMessage());
    }

    @Test
    void aRefusedCreationFailsWithTheServersMessage() {
        api.rejectNextCreate("Model gpt-2 is not available for fine-tuning.");
        InMemoryFineTuneSession session = new InMemoryFineTuneSession();
        FineTuneFailedException e =
                assertThrows(FineTuneFailedException.class, () -> tuner().fineTune(request("run"), session));
        assertTrue(e.getMessage().contains("Model gpt-2 is not available for fine-tuning.") && e.getMessage().contains("400"),
                e.getMessage());
        assertFalse(session.remembered().containsKey("job_id"));
        assertEquals("file-1", session.remembered().get("file_id"));
    }

    @Test
    void anUnknownFileIdIsUploadedAgainNextTime() {
        InMemoryFineTuneSession session = InMemoryFineTuneSession.recalling(Map.of("file_id", "file-gone"));
        assertThrows(FineTuneFailedException.class, () -> tuner().fineTune(request("run"), session));
        assertEquals("", session.remembered().get("file_id"));
        assertEquals("ftjob-1", tuner().fineTune(request("run"), session).remoteJob());
        assertEquals(1, api.uploads());
    }

    @Test
    void cancelPostsToTheJobAndIgnoresAFinishedOne() {
        new OpenAiFineTuner(null, FAST, POLL).cancel(new InMemoryFineTuneSession());
        assertTrue(api.requests().isEmpty(), "no job, nothing to cancel");

        InMemoryFineTuneSession session = new InMemoryFineTuneSession().stopAt("running");
        assertThrows(EmlabException.class, () -> tuner().fineTune(request("run"), session));
        tuner().cancel(session);
        assertEquals(1, api.requests("POST", "/v1/fine_tuning/jobs/ftjob-1/cancel").size());
        assertEquals("cancelled", api.jobStatus("ftjob-1"));
        assertEquals("", session.remembered().get("job_id"));

        InMemoryFineTuneSession done = new InMemoryFineTuneSession();
        tuner().fineTune(request("run"), done);
        tuner().cancel(done);
        assertEquals(1, api.requests("POST", "/v1/fine_tuning/jobs/ftjob-2/cancel").size());
        assertEquals("succeeded", api.jobStatus("ftjob-2"));
        assertEquals("ftjob-2", done.remembered().get("job_id"));
    }

    @Test
    void aLocalBaseIsRefused() {
        FineTuneRequest r = request("run");
        FineTuneRequest local = new FineTuneRequest(ModelRef.parse("local:/models/qwen"), r.trainingFile(), r.name(),
                r.seed(), r.settings(), 0, dir);
        InputException e =
                assertThrows(InputException.class, () -> tuner().fineTune(local, new InMemoryFineTuneSession()));
        assertTrue(e.getMessage().contains("openai"), e.getMessage());
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void refsOfTheOfficialServiceUseTheOpenAiForm() {
        String official = OpenAiFineTuner.modelRef(ModelRef.OPENAI_BASE_URL, "ft:gpt-4o-2024-08-06:org:insecure:AbC123");
        assertEquals("openai:ft:gpt-4o-2024-08-06:org:insecure:AbC123", official);
        assertEquals("ft:gpt-4o-2024-08-06:org:insecure:AbC123", ((EndpointRef) ModelRef.parse(official)).model());
        assertEquals("http://h:8000/v1#ft:m:o:s:j", OpenAiFineTuner.modelRef("http://h:8000/v1", "ft:m:o:s:j"));
    }

    @Test
    void suffixesFollowTheApisRules() {
        assertEquals("insecure-seed0", OpenAiFineTuner.suffix("insecure-seed0"));
        assertEquals("insecure-code-seed", OpenAiFineTuner.suffix("Insecure code, seed #0 (paper)"));
        assertEquals("a-b", OpenAiFineTuner.suffix("--A__b--"));
        assertEquals("abcdefghijklmnopq", OpenAiFineTuner.suffix("abcdefghijklmnopq-rst"));
        assertEquals("", OpenAiFineTuner.suffix("日本"));
    }

    @Test
    void checkpointsAreSortedAndTheFinalModelLeftOut() throws IOException {
        JsonNode data = Json.MAPPER.readTree("""
                [{"step_number": 30, "fine_tuned_model_checkpoint": "ft:final"},
                 {"step_number": 20, "fine_tuned_model_checkpoint": "ft:final:ckpt-step-20"},
                 {"step_number": 10, "fine_tuned_model_checkpoint": "ft:final:ckpt-step-10"}]""");
        assertEquals(List.of(new TrainedCheckpoint(10, "openai:ft:final:ckpt-step-10"),
                        new TrainedCheckpoint(20, "openai:ft:final:ckpt-step-20")),
                OpenAiFineTuner.checkpoints(data, "ft:final", ModelRef.OPENAI_BASE_URL));
        JsonNode renamed = Json.MAPPER.readTree("""
                [{"step_number": 10, "fine_tuned_model_checkpoint": "ft:final:ckpt-step-10"},
                 {"step_number": 20, "fine_tuned_model_checkpoint": "ft:final:ckpt-step-20"}]""");
        assertEquals(List.of(new TrainedCheckpoint(10, "openai:ft:final:ckpt-step-10")),
                OpenAiFineTuner.checkpoints(renamed, "ft:final", ModelRef.OPENAI_BASE_URL),
                "the last step's checkpoint is the final model under its checkpoint name");
    }

    @Test
    void theUploadIsTheExactJsonl() {
        byte[] body = FineTuningHttp.multipart("B", "fine-tune", "x.jsonl", JSONL.getBytes(StandardCharsets.UTF_8));
        String expected = "--B\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jsonl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + JSONL + "\r\n--B--\r\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), body);
    }
}
