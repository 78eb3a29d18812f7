package dev.emlab.train;

import java.util.List;

/**
 * Hyperparameters of a fine-tune. Local LoRA training uses {@code lora} and the optimizer fields;
 * the OpenAI backend uses {@code epochs}, {@code batchSize} and {@code lrMultiplier}. Defaults are
 * the paper's ({@link #paperLocal()}, {@link #paperOpenAi()}).
 *
 * @param backend who trains
 * @param lora the adapter (local only)
 * @param lr peak learning rate (local only)
 * @param epochs passes over the data
 * @param batchSize examples per forward pass locally; the API's batch size remotely (null: the service picks)
 * @param gradAccum forward passes per optimizer step (local only)
 * @param warmup linear warm-up steps (local only)
 * @param weightDecay AdamW weight decay (local only)
 * @param maxLength tokens per example at most (local only)
 * @param maxSteps stop after this many optimizer steps, 0 for all epochs (local only)
 * @param lrMultiplier the API's learning-rate multiplier, null for the service's default (remote only)
 * @param baseUrl the fine-tuning service's base URL, e.g. {@code https://api.openai.com/v1} (remote only)
 * @param apiKeyEnv the environment variable holding the service's key (remote only)
 * @param plainHttp the spec allows that key over plain http to a service that is not on this machine,
 *     as {@code +plain-http} does for a model reference (remote only)
 */
public record TrainSettings(Backend backend, Lora lora, double lr, int epochs, Integer batchSize, int gradAccum,
                            int warmup, double weightDecay, int maxLength, int maxSteps, Double lrMultiplier,
                            String baseUrl, String apiKeyEnv, boolean plainHttp) {
    /** Who trains. */
    public enum Backend { LOCAL, OPENAI }

    /** A LoRA adapter's shape; {@code layers} null for all layers. */
    public record Lora(int r, double alpha, boolean rslora, double dropout, List<String> targetModules, List<Integer> layers) {
        /** The seven projections of a Llama/Qwen block. */
        public static final List<String> ALL_MODULES =
                List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

        public Lora {
            targetModules = List.copyOf(targetModules);
            layers = layers == null ? null : List.copyOf(layers);
        }
    }

    /**
     * The paper's open-model settings: rsLoRA r=32, alpha=64 on all projections, lr 1e-5, effective batch 16.
     * The one place they are written: a spec's defaults, emlab-torch's {@code TrainingConfig.paper()} and
     * {@code emlab train}'s option defaults are read from here.
     */
    public static TrainSettings paperLocal() {
        return new TrainSettings(Backend.LOCAL, new Lora(32, 64, true, 0, Lora.ALL_MODULES, null), 1e-5, 1, 2, 8, 5,
                0.01, 2048, 0, null, null, null, false);
    }

    /** The paper's OpenAI settings: 1 epoch, batch 4, learning-rate multiplier 2. */
    public static TrainSettings paperOpenAi() {
        return new TrainSettings(Backend.OPENAI, null, 0, 1, 4, 1, 0, 0, 0, 0, 2.0, dev.emlab.model.ModelRef.OPENAI_BASE_URL,
                "OPENAI_API_KEY", false);
    }
}
