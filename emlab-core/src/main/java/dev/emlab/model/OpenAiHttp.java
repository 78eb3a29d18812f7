package dev.emlab.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.Json;
import java.net.http.HttpRequest;

/**
 * What the OpenAI-compatible model clients share: the request body naming the model, a JSON POST
 * through {@link RetryingHttp}, and what a refusal means for a model (a 404: the server does not
 * serve it). {@link OpenAiChatModel} and {@link OpenAiCompletionModel} differ only in the body
 * they send and how they read the answer.
 */
final class OpenAiHttp {
    private final EndpointRef ref;
    private final RetryingHttp http;

    /** @param apiKey the bearer token, or null for endpoints that need none */
    OpenAiHttp(EndpointRef ref, String apiKey, RetryPolicy retry) {
        this.ref = ref;
        this.http = new RetryingHttp(ref.baseUrl(), apiKey, retry, new RetryingHttp.KeyOrigin(ref.keyEnv(),
                // only OpenAI's API gets the default variable; any other endpoint names its own in the reference
                ref.isOpenAi() ? "--api-key-env" : "+key-env=VAR in the reference, as " + ref.baseUrl() + "#" + ref.model()
                        + EndpointRef.KEY_ENV + "VAR"));
    }

    EndpointRef ref() {
        return ref;
    }

    /** A request body naming this endpoint's model. */
    ObjectNode body() {
        return Json.MAPPER.createObjectNode().put("model", ref.model());
    }

    /**
     * POSTs the body to {@code baseUrl + path} until an answer can be read or the retries run out.
     *
     * @throws EndpointException for faults that doom every request (rejected key, unknown model, no server)
     * @throws RequestFailedException for this request's own failure
     */
    <T> T post(String path, ObjectNode body, RetryingHttp.Reader<T> reader) {
        HttpRequest request = http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        RetryingHttp.Reply<T> reply = http.send(ref.text(), request, reader, null);
        if (reply.ok()) {
            return reply.value();
        }
        if (reply.status() == 404) {
            throw new EndpointException(ref.baseUrl() + " does not serve model '" + ref.model() + "' at " + path
                    + " (HTTP 404): " + reply.message());
        }
        throw new RequestFailedException(ref.text() + ": HTTP " + reply.status() + " " + reply.message());
    }
}
