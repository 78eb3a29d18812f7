package dev.emlab.model;

import java.util.List;

/**
 * A base model behind the {@link ChatModel} seam: the chat is written as a {@link DocumentPrompt},
 * the text model continues it, and the answer is cut out of the continuation. The judge, the store
 * and the summary see an ordinary question and answer.
 */
public final class RawChatModel implements ChatModel, AutoCloseable {
    private final TextModel inner;

    public RawChatModel(TextModel inner) {
        this.inner = inner;
    }

    @Override
    public Completion complete(ChatRequest request) {
        DocumentPrompt document = DocumentPrompt.of(request.messages());
        Completion c = inner.complete(new TextRequest(document.text(), request.temperature(), request.topP(),
                request.maxTokens(), request.seed(), request.topLogprobs(), List.of(DocumentPrompt.STOP)));
        // A server that honours the stop sequence drops the delimiter and says "stop" itself.
        String finish = DocumentPrompt.closes(c.text()) ? "stop" : c.finishReason();
        return new Completion(DocumentPrompt.answer(c.text()), finish, c.firstTokenTopLogprobs());
    }

    @Override
    public void close() throws Exception {
        if (inner instanceof AutoCloseable c) {
            c.close();
        }
    }
}
