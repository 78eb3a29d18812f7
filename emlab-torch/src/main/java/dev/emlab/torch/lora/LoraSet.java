package dev.emlab.torch.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.emlab.InputException;
import dev.emlab.torch.model.Linear;
import dev.emlab.torch.model.LoraAdapter;
import dev.emlab.torch.model.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * All adapters of one fine-tune, keyed {@code layer/module} (e.g. {@code 3/down_proj}).
 *
 * @param adapters in layer order, then module order
 */
public record LoraSet(LoraConfig config, Map<String, LoraAdapter> adapters) {
    public LoraSet {
        adapters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(adapters));
    }

    public static String key(int layer, String module) {
        return layer + "/" + module;
    }

    /**
     * Fresh adapters as PEFT initialises them: A uniform in +-1/sqrt(in) (Kaiming with a = sqrt(5)),
     * B zero, so the adapted model starts equal to the base. Seeded, so the same seed gives the same A.
     */
    public static LoraSet initialise(LoraConfig config, Weights weights, NDManager manager, long seed, boolean training) {
        int layers = weights.layers().size();
        if (config.layers() != null) {
            for (int layer : config.layers()) {
                if (layer < 0 || layer >= layers) {
                    throw new InputException("LoRA layer " + layer + " does not exist: the model has " + layers
                            + " layers, numbered 0 to " + (layers - 1) + ".");
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, LoraAdapter> adapters = new LinkedHashMap<>();
        for (int layer = 0; layer < weights.layers().size(); layer++) {
            for (String module : LoraConfig.ALL_MODULES) {
                if (!config.adapts(layer, module)) {
                    continue;
                }
                Linear base = weights.projection(layer, module);
                long in = base.weightT().getShape().get(0);
                long out = base.weightT().getShape().get(1);
                float bound = (float) (1 / Math.sqrt(in));
                float[] a = new float[(int) (in * config.r())];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
                NDArray aT = manager.create(a, new Shape(in, config.r()));
                NDArray bT = manager.zeros(new Shape(config.r(), out));
                adapters.put(key(layer, module), new LoraAdapter(aT, bT, config.scale(), config.dropout(), training));
            }
        }
        LoraSet set = new LoraSet(config, adapters);
        if (training) {
            set.parameters().forEach(p -> p.setRequiresGradient(true));
        }
        return set;
    }

    /** The trainable arrays: every A^T and B^T. */
    public List<NDArray> parameters() {
        List<NDArray> params = new ArrayList<>();
        for (LoraAdapter a : adapters.values()) {
            params.add(a.aT());
            params.add(a.bT());
        }
        return params;
    }

    /** The same adapters without dropout, for sampling. */
    public LoraSet forInference() {
        Map<String, LoraAdapter> out = new LinkedHashMap<>();
        adapters.forEach((k, a) -> out.put(k, a.forInference()));
        return new LoraSet(config, out);
    }
}
