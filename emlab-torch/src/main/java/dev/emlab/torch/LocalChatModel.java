package dev.emlab.torch;

import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.model.LocalRef;
import dev.emlab.model.TokenLogprob;
import dev.emlab.torch.sample.GenerationParams;
import dev.emlab.torch.sample.Generated;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@link ChatModel} for {@code local:} references: generation in this process. Requests from
 * many threads are served one at a time, since one model already uses every core.
 */
public final class LocalChatModel implements ChatModel, AutoCloseable {
    private final LocalModel model;

    public LocalChatModel(LocalModel model) {
        this.model = model;
    }

    public static LocalChatModel open(LocalRef ref) {
        return new LocalChatModel(LocalModel.load(ref.checkpoint(), false, ref.adapter()));
    }

    @Override
    public synchronized Completion complete(ChatRequest request) {
        long seed = request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong();
        int top = request.topLogprobs() == null ? 0 : request.topLogprobs();
        GenerationParams params = new GenerationParams(request.temperature(), request.topP(), request.maxTokens(), top);
        Generated g = model.generate(List.of(model.promptTokens(request.messages())), params, new long[] {seed}).get(0);
        List<TokenLogprob> first = top > 0 && !g.topLogprobs().isEmpty() ? g.topLogprobs().get(0) : null;
        return new Completion(model.decode(g.tokens()), g.finishReason(), first);
    }

    @Override
    public void close() {
        model.close();
    }
}
