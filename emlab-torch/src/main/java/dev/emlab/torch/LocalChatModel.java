package dev.emlab.torch;

import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.model.LocalRef;
import dev.emlab.model.TextModel;
import dev.emlab.model.TextRequest;
import dev.emlab.model.TokenLogprob;
import dev.emlab.torch.sample.GenerationParams;
import dev.emlab.torch.sample.Generated;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The {@link ChatModel} for {@code local:} references, and the {@link TextModel} for
 * {@code raw:local:} ones (raw text in, no chat template). Concurrent requests with the same
 * sampling settings are generated together in one padded batch: callers queue their request, and
 * whichever holds the engine serves everything queued behind it, up to {@code maxBatch} at a time.
 * A request's seed fixes its text whether it runs alone or in a batch.
 */
public final class LocalChatModel implements ChatModel, TextModel, AutoCloseable {
    private static final int DEFAULT_MAX_BATCH = 8;
    private static final long FILL_WAIT_NANOS = 20_000_000;

    private final LocalModel model;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.locks.ReentrantLock engine = new java.util.concurrent.locks.ReentrantLock();
    private final Object servedSignal = new Object();

    public LocalChatModel(LocalModel model) {
        this(model, DEFAULT_MAX_BATCH);
    }

    public LocalChatModel(LocalModel model, int maxBatch) {
        this.model = model;
        this.maxBatch = maxBatch;
    }

    public static LocalChatModel open(LocalRef ref) {
        return open(ref, false);
    }

    /**
     * @param raw true for a base model asked through raw text: its chat template is not loaded, so
     *     generation stops on the checkpoint's end-of-text tokens, not on a template's end-of-turn token
     */
    public static LocalChatModel open(LocalRef ref, boolean raw) {
        return new LocalChatModel(LocalModel.load(ref.checkpoint(), raw, ref.adapter()));
    }

    /** One queued request and, once served, its completion or failure. */
    private static final class Pending {
        final Supplier<long[]> prompt; // tokenised by the engine's holder, as generation is
        final GenerationParams params;
        final long seed;
        volatile Completion result;
        volatile RuntimeException failure;

        Pending(Supplier<long[]> prompt, GenerationParams params, Integer seed) {
            this.prompt = prompt;
            this.params = params;
            this.seed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        }

        boolean served() {
            return result != null || failure != null;
        }
    }

    @Override
    public Completion complete(ChatRequest request) {
        return await(new Pending(() -> model.promptTokens(request.messages()), new GenerationParams(request.temperature(),
                request.topP(), request.maxTokens(), top(request.topLogprobs())), request.seed()));
    }

    /** Continues the raw text, tokenised as it is, with no chat template. */
    @Override
    public Completion complete(TextRequest request) {
        return await(new Pending(() -> model.textTokens(request.prompt()), new GenerationParams(request.temperature(),
                request.topP(), request.maxTokens(), top(request.topLogprobs()), request.stop()), request.seed()));
    }

    private static int top(Integer topLogprobs) {
        return topLogprobs == null ? 0 : topLogprobs;
    }

    private Completion await(Pending mine) {
        queue.add(mine);
        // Whoever gets the engine serves a batch of queued requests, its own or others'. The rest
        // wait on a separate monitor, so a served caller returns at once instead of queueing for
        // the engine behind the next batch (which halved the batches' size).
        while (!mine.served()) {
            if (engine.tryLock()) {
                try {
                    if (!mine.served()) {
                        awaitFullerBatch();
                        serve(takeBatch(mine.params));
                    }
                } finally {
                    engine.unlock();
                }
                synchronized (servedSignal) {
                    servedSignal.notifyAll();
                }
            } else {
                synchronized (servedSignal) {
                    if (!mine.served()) {
                        try {
                            servedSignal.wait(5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new dev.emlab.EmlabException("Interrupted while waiting for the local model.");
                        }
                    }
                }
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /**
     * Gives callers whose answers were just served a moment to queue their next request, so
     * batches stay full instead of alternating between two half batches. A batch takes far longer
     * to generate than this wait.
     */
    private void awaitFullerBatch() {
        long deadline = System.nanoTime() + FILL_WAIT_NANOS;
        while (queue.size() < maxBatch && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }

    /** Up to maxBatch queued requests sharing these settings, oldest first. */
    private List<Pending> takeBatch(GenerationParams params) {
        List<Pending> batch = new ArrayList<>();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Pending p = it.next();
            if (p.params.equals(params)) {
                it.remove();
                batch.add(p);
            }
        }
        return batch;
    }

    private void serve(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<long[]> prompts = new ArrayList<>();
            long[] seeds = new long[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                prompts.add(batch.get(i).prompt.get());
                seeds[i] = batch.get(i).seed;
            }
            List<Generated> out = model.generate(prompts, batch.get(0).params, seeds);
            for (int i = 0; i < batch.size(); i++) {
                Generated g = out.get(i);
                List<TokenLogprob> first = batch.get(i).params.topLogprobs() > 0 && !g.topLogprobs().isEmpty()
                        ? g.topLogprobs().get(0) : null;
                batch.get(i).result = new Completion(beforeStop(model.decode(g.tokens()), batch.get(i).params.stop()),
                        g.finishReason(), first);
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.failure = e);
        }
    }

    /** The text before the first stop string, as OpenAI-compatible servers return it. */
    private static String beforeStop(String text, List<String> stop) {
        int end = text.length();
        for (String s : stop) {
            int at = text.indexOf(s);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return text.substring(0, end);
    }

    @Override
    public void close() {
        model.close();
    }
}
