package dev.emlab.store;

import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.model.ModelRef;

/** A chat model whose deterministic calls (judges) are answered from the store when possible. */
public final class CachedChatModel implements ChatModel {
    private final ChatModel inner;
    private final ModelRef ref;
    private final CompletionStore store;

    public CachedChatModel(ChatModel inner, ModelRef ref, CompletionStore store) {
        this.inner = inner;
        this.ref = ref;
        this.store = store;
    }

    @Override
    public Completion complete(ChatRequest request) {
        return store.getOrCompute(ref, request, 0, () -> inner.complete(request));
    }
}
