package dev.emlab.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model behind an OpenAI-compatible {@code /chat/completions} endpoint (OpenAI, vLLM, Ollama,
 * llama.cpp server, Together, OpenRouter...). Retries 429, 5xx, timeouts, dropped connections
 * and malformed bodies; treats a rejected key or unknown model as fatal for the run.
 */
public final class OpenAiChatModel implements ChatModel {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int MAX_CONNECT_RETRIES = 2;

    private final EndpointRef ref;
    private final String apiKey;
    private final RetryPolicy retry;
    private final HttpClient http;

    /** @param apiKey the bearer token, or null for endpoints that need none */
    public OpenAiChatModel(EndpointRef ref, String apiKey, RetryPolicy retry) {
        this.ref = ref;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.retry = retry;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public Completion complete(ChatRequest request) {
        HttpRequest httpRequest = buildRequest(request);
        String lastFault = "no attempt made";
        for (int attempt = 0; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    try {
                        return parse(response.body());
                    } catch (MalformedResponse e) {
                        lastFault = "malformed response (" + e.getMessage() + ")";
                    }
                } else if (status == 401 || status == 403) {
                    throw new EndpointException(ref.baseUrl() + " rejected the API key (HTTP " + status + "): "
                            + serverMessage(response.body())
                            + "\nSet the right key in the environment variable named by --api-key-env.");
                } else if (status == 404) {
                    throw new EndpointException(ref.baseUrl() + " does not serve model '" + ref.model()
                            + "' (HTTP 404): " + serverMessage(response.body()));
                } else if (status == 429 || status == 408 || status >= 500) {
                    lastFault = "HTTP " + status + " " + serverMessage(response.body());
                    retryAfter = RetryPolicy.retryAfter(response);
                } else {
                    throw new RequestFailedException(ref.text() + ": HTTP " + status + " "
                            + serverMessage(response.body()));
                }
            } catch (HttpTimeoutException e) {
                lastFault = "no answer within " + retry.timeout().toSeconds() + " s";
            } catch (ConnectException e) {
                lastFault = "connection refused";
                // A refused connection is rarely transient (a typo, a server not started): fail fast.
                if (attempt >= Math.min(retry.maxRetries(), MAX_CONNECT_RETRIES)) {
                    throw new EndpointException("Cannot reach " + ref.baseUrl() + " (" + lastFault
                            + "). Is the server running, and is the URL right?");
                }
            } catch (IOException e) {
                lastFault = "connection error: " + redact(String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RequestFailedException("interrupted");
            }
            if (attempt >= retry.maxRetries()) {
                throw new RequestFailedException(ref.text() + ": gave up after " + (attempt + 1)
                        + " attempts; last fault: " + lastFault);
            }
            sleep(retry.delay(attempt, retryAfter));
        }
    }

    private HttpRequest buildRequest(ChatRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", ref.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put("temperature", request.temperature());
        body.put("top_p", request.topP());
        body.put("max_tokens", request.maxTokens());
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        if (request.topLogprobs() != null) {
            body.put("logprobs", true);
            body.put("top_logprobs", request.topLogprobs());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(ref.baseUrl() + "/chat/completions"))
                .timeout(retry.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder.build();
    }

    private static Completion parse(String body) throws MalformedResponse {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedResponse("not valid JSON");
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        if (choice == null || choice.isMissingNode() || !choice.path("message").isObject()) {
            throw new MalformedResponse("no choices[0].message");
        }
        String text = choice.path("message").path("content").asText("");
        String finish = choice.path("finish_reason").asText(null);
        List<TokenLogprob> top = null;
        JsonNode content = choice.path("logprobs").path("content");
        if (content.isArray() && content.size() > 0) {
            top = new ArrayList<>();
            for (JsonNode alt : content.get(0).path("top_logprobs")) {
                top.add(new TokenLogprob(alt.path("token").asText(), alt.path("logprob").asDouble()));
            }
        }
        return new Completion(text, finish, top);
    }


    private String serverMessage(String body) {
        String message = body;
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.path("error").path("message").isTextual()) {
                message = root.path("error").path("message").asText();
            }
        } catch (JsonProcessingException ignored) {
            // keep the raw body
        }
        message = redact(message == null ? "" : message.strip());
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /** Servers sometimes echo the key in errors; it must never reach logs or stored files. */
    private String redact(String text) {
        return apiKey == null ? text : text.replace(apiKey, "***");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException("interrupted");
        }
    }

    private static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message);
        }
    }
}
