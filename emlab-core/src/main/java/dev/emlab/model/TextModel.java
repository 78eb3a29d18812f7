package dev.emlab.model;

/**
 * A model that continues raw text: an OpenAI-compatible {@code /completions} endpoint or a local
 * checkpoint without its chat template. {@link RawChatModel} puts one behind the {@link ChatModel}
 * seam. Implementations are thread-safe.
 */
public interface TextModel {
    /**
     * Returns one continuation of the prompt. Its text ends before the first stop string, and its
     * finish reason is "stop" when a stop string or the end of text was reached, "length" at max tokens.
     *
     * @throws RequestFailedException when this request failed for good (other requests may succeed)
     * @throws EndpointException when no request to this model can succeed (bad key, unreachable)
     */
    Completion complete(TextRequest request);
}
