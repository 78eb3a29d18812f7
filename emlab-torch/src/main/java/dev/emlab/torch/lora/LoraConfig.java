package dev.emlab.torch.lora;

import dev.emlab.InputException;
import dev.emlab.train.TrainSettings;
import java.util.List;
import java.util.Set;

/**
 * Which projections get adapters and how large they are.
 *
 * @param targetModules short names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
 * @param layers the layers to adapt, or null for all (PEFT's layers_to_transform)
 * @param rslora scale by alpha / sqrt(r) instead of alpha / r
 */
public record LoraConfig(int r, double alpha, double dropout, boolean rslora, List<String> targetModules,
                         List<Integer> layers) {
    /** The seven projections of a Llama/Qwen block, the names a spec's {@code train.lora} checks too. */
    public static final List<String> ALL_MODULES = TrainSettings.Lora.ALL_MODULES;
    private static final Set<String> ATTENTION = Set.of("q_proj", "k_proj", "v_proj", "o_proj");

    public LoraConfig {
        targetModules = List.copyOf(targetModules);
        layers = layers == null ? null : List.copyOf(layers);
        if (r < 1) {
            throw new InputException("LoRA rank must be >= 1, was " + r + ".");
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new InputException("LoRA alpha must be a finite number > 0, was " + alpha + ".");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InputException("LoRA dropout must be in [0, 1), was " + dropout + ".");
        }
        for (String m : targetModules) {
            if (!ALL_MODULES.contains(m)) {
                throw new InputException("Unknown LoRA target module '" + m + "'; choose from " + String.join(", ", ALL_MODULES) + ".");
            }
        }
    }

    /** The adapter a spec's {@code train.lora} describes (the paper's, {@link TrainSettings#paperLocal()}, by default). */
    public static LoraConfig of(TrainSettings.Lora l) {
        return new LoraConfig(l.r(), l.alpha(), l.dropout(), l.rslora(), l.targetModules(), l.layers());
    }

    public double scale() {
        return rslora ? alpha / Math.sqrt(r) : alpha / r;
    }

    public boolean adapts(int layer, String module) {
        return targetModules.contains(module) && (layers == null || layers.contains(layer));
    }

    /** The module's path inside a layer, e.g. self_attn.q_proj or mlp.down_proj. */
    public static String modulePath(String module) {
        return (ATTENTION.contains(module) ? "self_attn." : "mlp.") + module;
    }
}
