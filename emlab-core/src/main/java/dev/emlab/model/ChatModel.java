package dev.emlab.model;

/**
 * The seam every model sits behind: a remote OpenAI-compatible server, later the local engine.
 * Implementations are thread-safe; callers bound concurrency themselves.
 */
public interface ChatModel {
    /**
     * Returns one completion.
     *
     * @throws RequestFailedException when this request failed for good (other requests may succeed)
     * @throws EndpointException when no request to this model can succeed (bad key, unreachable)
     */
    Completion complete(ChatRequest request);
}
