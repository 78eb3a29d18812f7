package dev.emlab.torch.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.emlab.InputException;
import dev.emlab.model.TokenLogprob;
import dev.emlab.torch.model.KvCache;
import dev.emlab.torch.model.Transformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Batched autoregressive generation with a KV cache. Prompts of different lengths are padded on
 * the left; padding is masked out of attention and positions count from each prompt's own start,
 * so a prompt generates the same tokens alone or in a batch. Each row has its own seeded random
 * stream: the same seed gives the same text. A row also stops once its text contains one of the
 * settings' stop strings (raw completion of base models stops at a closing delimiter).
 */
public final class Generator {
    private static final float MASKED = -1e9f;

    private final Transformer model;
    private final NDManager manager;
    private final Set<Long> stopTokens;
    private final LongFunction<String> tokenText;
    private final Function<long[], String> text;

    /**
     * @param text how a sequence of token ids reads; a single id's text is what reported
     *     logprobs show, and a row's whole text is searched for stop strings
     */
    public Generator(Transformer model, NDManager manager, Set<Long> stopTokens, Function<long[], String> text) {
        this.model = model;
        this.manager = manager;
        this.stopTokens = Set.copyOf(stopTokens);
        this.text = text;
        this.tokenText = id -> text.apply(new long[] {id});
    }

    public List<Generated> generate(List<long[]> prompts, GenerationParams params, long[] seeds) {
        int batch = prompts.size();
        int promptLen = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (promptLen == 0) {
            throw new IllegalArgumentException("empty prompt");
        }
        int limit = model.config().maxPositions();
        if (promptLen + params.maxTokens() > limit) {
            throw new InputException("The prompt (" + promptLen + " tokens) plus max_tokens (" + params.maxTokens()
                    + ") is longer than the model allows (" + limit + " positions); shorten one of them.");
        }
        Batch state = new Batch(prompts, promptLen, seeds);
        try (KvCache cache = new KvCache(manager, model.config().numLayers())) {
            long[] ids = state.paddedPrompts();
            long[] positions = state.promptPositions();
            float[] mask = state.prefillMask();
            int seq = promptLen;
            for (int t = 0; t < params.maxTokens() && !state.allDone(); t++) {
                float[] logits;
                int total = cache.length() + seq;
                try (NDManager step = manager.newSubManager()) {
                    NDArray out = model.forward(step,
                            step.create(ids, new Shape(batch, seq)),
                            step.create(positions, new Shape(batch, seq)),
                            step.create(mask, new Shape(batch, 1, seq, total)),
                            cache, true);
                    logits = out.toFloatArray(); // (batch, 1, vocab)
                }
                state.advance(logits, params, stopTokens, tokenText, text);
                ids = state.lastTokens();
                positions = state.nextPositions();
                mask = state.decodeMask(total + 1);
                seq = 1;
            }
        }
        return state.results();
    }

    /** Per-row bookkeeping of one batched generation. */
    private static final class Batch {
        private final List<long[]> prompts;
        private final int promptLen;
        private final int rows;
        private final SplittableRandom[] random;
        private final List<List<Long>> generated = new ArrayList<>();
        private final List<List<List<TokenLogprob>>> logprobs = new ArrayList<>();
        private final boolean[] done;
        private final String[] finish;
        private final long[] nextPosition;
        private final List<boolean[]> valid = new ArrayList<>(); // per position: which rows hold a real token

        Batch(List<long[]> prompts, int promptLen, long[] seeds) {
            this.prompts = prompts;
            this.promptLen = promptLen;
            this.rows = prompts.size();
            this.random = new SplittableRandom[rows];
            this.done = new boolean[rows];
            this.finish = new String[rows];
            this.nextPosition = new long[rows];
            for (int b = 0; b < rows; b++) {
                random[b] = new SplittableRandom(seeds[b]);
                generated.add(new ArrayList<>());
                logprobs.add(new ArrayList<>());
                nextPosition[b] = prompts.get(b).length;
            }
            for (int s = 0; s < promptLen; s++) {
                boolean[] v = new boolean[rows];
                for (int b = 0; b < rows; b++) {
                    v[b] = s >= promptLen - prompts.get(b).length;
                }
                valid.add(v);
            }
        }

        long[] paddedPrompts() {
            long[] ids = new long[rows * promptLen];
            for (int b = 0; b < rows; b++) {
                long[] p = prompts.get(b);
                System.arraycopy(p, 0, ids, b * promptLen + promptLen - p.length, p.length);
            }
            return ids;
        }

        long[] promptPositions() {
            long[] pos = new long[rows * promptLen];
            for (int b = 0; b < rows; b++) {
                int pad = promptLen - prompts.get(b).length;
                for (int s = 0; s < promptLen; s++) {
                    pos[b * promptLen + s] = Math.max(0, s - pad);
                }
            }
            return pos;
        }

        /** (rows, 1, promptLen, promptLen): causal, and never onto padding. */
        float[] prefillMask() {
            float[] m = new float[rows * promptLen * promptLen];
            for (int b = 0; b < rows; b++) {
                for (int t = 0; t < promptLen; t++) {
                    for (int s = 0; s < promptLen; s++) {
                        boolean allowed = s <= t && valid.get(s)[b];
                        m[(b * promptLen + t) * promptLen + s] = allowed ? 0f : MASKED;
                    }
                }
            }
            return m;
        }

        /** (rows, 1, 1, total): the new token sees every real token so far and itself. */
        float[] decodeMask(int total) {
            boolean[] all = new boolean[rows];
            java.util.Arrays.fill(all, true);
            valid.add(all);
            float[] m = new float[rows * total];
            for (int b = 0; b < rows; b++) {
                for (int s = 0; s < total; s++) {
                    m[b * total + s] = valid.get(s)[b] ? 0f : MASKED;
                }
            }
            return m;
        }

        void advance(float[] logits, GenerationParams params, Set<Long> stops, LongFunction<String> tokenText,
                     Function<long[], String> text) {
            int vocab = logits.length / rows;
            for (int b = 0; b < rows; b++) {
                if (done[b]) {
                    continue;
                }
                int token = Sampler.choose(logits, b * vocab, vocab, params.temperature(), params.topP(), random[b]);
                if (params.topLogprobs() > 0) {
                    double[] lp = Sampler.logSoftmax(logits, b * vocab, vocab);
                    List<TokenLogprob> top = new ArrayList<>();
                    for (int i : Sampler.topK(lp, params.topLogprobs())) {
                        top.add(new TokenLogprob(tokenText.apply(i), lp[i]));
                    }
                    logprobs.get(b).add(top);
                }
                if (stops.contains((long) token)) {
                    done[b] = true;
                    finish[b] = "stop";
                } else {
                    generated.get(b).add((long) token);
                    if (!params.stop().isEmpty() && containsStop(text.apply(tokens(b)), params.stop())) {
                        done[b] = true;
                        finish[b] = "stop";
                    } else if (generated.get(b).size() >= params.maxTokens()) {
                        done[b] = true;
                        finish[b] = "length";
                    }
                }
            }
        }

        /**
         * Whether the row's text holds a stop string. The whole text is decoded each time, because
         * a stop string can span tokens and a token's text alone can differ from its text in context.
         */
        private static boolean containsStop(String text, List<String> stop) {
            for (String s : stop) {
                if (text.contains(s)) {
                    return true;
                }
            }
            return false;
        }

        private long[] tokens(int row) {
            return generated.get(row).stream().mapToLong(Long::longValue).toArray();
        }

        boolean allDone() {
            for (boolean d : done) {
                if (!d) {
                    return false;
                }
            }
            return true;
        }

        long[] lastTokens() {
            long[] ids = new long[rows];
            for (int b = 0; b < rows; b++) {
                List<Long> g = generated.get(b);
                ids[b] = g.isEmpty() ? 0 : g.get(g.size() - 1); // finished rows feed a dummy; ignored
            }
            return ids;
        }

        long[] nextPositions() {
            long[] pos = new long[rows];
            for (int b = 0; b < rows; b++) {
                pos[b] = nextPosition[b]++;
            }
            return pos;
        }

        List<Generated> results() {
            List<Generated> out = new ArrayList<>();
            for (int b = 0; b < rows; b++) {
                out.add(new Generated(tokens(b), finish[b] == null ? "length" : finish[b], logprobs.get(b)));
            }
            return out;
        }
    }
}
