package dev.emlab.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A model behind an OpenAI-compatible {@code /completions} endpoint, which continues raw text:
 * base models served by vLLM, or {@code openai:davinci-002}. Faults, retries and keys are handled
 * exactly as for {@link OpenAiChatModel}.
 */
public final class OpenAiCompletionModel implements TextModel {
    /** The most alternatives OpenAI's /completions returns per token. */
    static final int OPENAI_MAX_LOGPROBS = 5;

    private final OpenAiHttp http;

    /** @param apiKey the bearer token, or null for endpoints that need none */
    public OpenAiCompletionModel(EndpointRef ref, String apiKey, RetryPolicy retry) {
        this.http = new OpenAiHttp(ref, apiKey, retry);
    }

    @Override
    public Completion complete(TextRequest request) {
        ObjectNode body = http.body();
        body.put("prompt", request.prompt());
        body.put("max_tokens", request.maxTokens());
        body.put("temperature", request.temperature());
        body.put("top_p", request.topP());
        if (request.seed() != null) {
            body.put("seed", request.seed());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (request.topLogprobs() != null) {
            // the legacy API takes the count itself, and OpenAI's refuses more than 5 (vLLM and others allow more)
            boolean openAi = http.ref().baseUrl().equals(ModelRef.OPENAI_BASE_URL);
            body.put("logprobs", openAi ? Math.min(OPENAI_MAX_LOGPROBS, request.topLogprobs()) : request.topLogprobs());
        }
        return http.post("/completions", body, OpenAiCompletionModel::read);
    }

    private static Completion read(JsonNode root) throws RetryingHttp.MalformedResponse {
        JsonNode choice = root.path("choices").path(0);
        if (!choice.path("text").isTextual()) {
            throw new RetryingHttp.MalformedResponse("no choices[0].text");
        }
        String finish = choice.path("finish_reason").asText(null);
        // The legacy format gives each position's alternatives as an object {token: logprob}.
        JsonNode first = choice.path("logprobs").path("top_logprobs").path(0);
        List<TokenLogprob> top = null;
        if (first.isObject()) {
            top = new ArrayList<>();
            for (Map.Entry<String, JsonNode> alt : (Iterable<Map.Entry<String, JsonNode>>) first::fields) {
                top.add(new TokenLogprob(alt.getKey(), alt.getValue().asDouble()));
            }
            // JSON objects carry no order; the chat API lists the most likely first, and so do we.
            top.sort(Comparator.comparingDouble(TokenLogprob::logprob).reversed());
        }
        return new Completion(choice.path("text").asText(), finish, top);
    }
}
