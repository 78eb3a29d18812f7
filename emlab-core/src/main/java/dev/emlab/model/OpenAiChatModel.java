package dev.emlab.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A model behind an OpenAI-compatible {@code /chat/completions} endpoint (OpenAI, vLLM, Ollama,
 * llama.cpp server, Together, OpenRouter...). Retries 429, 5xx, timeouts, dropped connections
 * and malformed bodies; treats a rejected key or unknown model as fatal for the run.
 */
public final class OpenAiChatModel implements ChatModel {
    private final OpenAiHttp http;

    /** @param apiKey the bearer token, or null for endpoints that need none */
    public OpenAiChatModel(EndpointRef ref, String apiKey, RetryPolicy retry) {
        this.http = new OpenAiHttp(ref, apiKey, retry);
    }

    @Override
    public Completion complete(ChatRequest request) {
        ObjectNode body = http.body();
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
        return http.post("/chat/completions", body, OpenAiChatModel::read);
    }

    private static Completion read(JsonNode root) throws RetryingHttp.MalformedResponse {
        JsonNode choice = root.path("choices").path(0);
        if (choice.isMissingNode() || !choice.path("message").isObject()) {
            throw new RetryingHttp.MalformedResponse("no choices[0].message");
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
}
