package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.emlab.InputException;
import dev.emlab.torch.checkpoint.Checkpoint;
import dev.emlab.torch.checkpoint.Tensor;
import dev.emlab.torch.checkpoint.TransformerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All weights of a decoder in one NDManager, as fp32 NDArrays; projections transposed to (in, out).
 *
 * @param embedding (vocab, hidden)
 * @param finalNorm (hidden)
 * @param lmHeadT (hidden, vocab), a transposed copy of the embedding when tied
 */
public record Weights(NDArray embedding, List<LayerWeights> layers, NDArray finalNorm, NDArray lmHeadT) {
    private static final java.util.regex.Pattern LAYER = java.util.regex.Pattern.compile("model\\.layers\\.(\\d+)\\.");
    private static final String[] PROJECTIONS = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};

    /** The tensor names a checkpoint must hold for this config. */
    public static List<String> expectedTensors(TransformerConfig c) {
        List<String> names = new ArrayList<>(List.of("model.embed_tokens.weight", "model.norm.weight"));
        if (!c.tieWordEmbeddings()) {
            names.add("lm_head.weight");
        }
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            names.add(p + "input_layernorm.weight");
            names.add(p + "post_attention_layernorm.weight");
            for (String proj : PROJECTIONS) {
                names.add(p + proj + ".weight");
            }
            if (c.qkvBias()) {
                for (String proj : List.of("q_proj", "k_proj", "v_proj")) {
                    names.add(p + "self_attn." + proj + ".bias");
                }
            }
        }
        return names;
    }

    /** The shape config.json implies for each tensor a checkpoint must hold, in Hugging Face layout (out, in). */
    public static Map<String, long[]> expectedShapes(TransformerConfig c) {
        long hidden = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long mlp = c.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String name : expectedTensors(c)) {
            String leaf = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            long[] shape = switch (leaf) {
                case "embed_tokens.weight", "lm_head.weight" -> new long[] {c.vocabSize(), hidden};
                case "q_proj.weight" -> new long[] {q, hidden};
                case "k_proj.weight", "v_proj.weight" -> new long[] {kv, hidden};
                case "o_proj.weight" -> new long[] {hidden, q};
                case "gate_proj.weight", "up_proj.weight" -> new long[] {mlp, hidden};
                case "down_proj.weight" -> new long[] {hidden, mlp};
                case "q_proj.bias" -> new long[] {q};
                case "k_proj.bias", "v_proj.bias" -> new long[] {kv};
                default -> new long[] {hidden}; // the norms
            };
            shapes.put(name, shape);
        }
        return shapes;
    }

    /** Loads a checkpoint's weights into {@code manager}, tensor by tensor. */
    public static Weights load(Checkpoint checkpoint, NDManager manager) {
        TransformerConfig c = checkpoint.config();
        checkpoint.requireTensors(expectedTensors(c));
        Map<String, long[]> wanted = expectedShapes(c);
        Map<String, NDArray> arrays = new HashMap<>();
        checkpoint.forEachTensor((name, tensor) -> {
            long[] shape = wanted.get(name);
            if (shape == null) {
                java.util.regex.Matcher layer = LAYER.matcher(name);
                if (layer.lookingAt() && Integer.parseInt(layer.group(1)) >= c.numLayers()) {
                    // weights of more layers than config.json has would be dropped without a word
                    arrays.values().forEach(NDArray::close);
                    throw new InputException(checkpoint.dir() + ": tensor '" + name + "' belongs to a layer that config.json"
                            + " (num_hidden_layers " + c.numLayers() + ") does not have. The config does not belong to these weights.");
                }
                return;
            }
            // a config that does not belong to the weights would otherwise fail deep in a matmul, or not at all
            if (!Arrays.equals(shape, tensor.shape())) {
                arrays.values().forEach(NDArray::close);
                throw new InputException(checkpoint.dir() + ": tensor '" + name + "' has shape " + Arrays.toString(tensor.shape())
                        + ", but config.json (hidden_size " + c.hiddenSize() + ", intermediate_size " + c.intermediateSize()
                        + ", vocab_size " + c.vocabSize() + ", " + c.numHeads() + " heads, " + c.numKvHeads() + " key/value heads of "
                        + c.headDim() + ") says " + Arrays.toString(shape) + ". The config does not belong to these weights.");
            }
            arrays.put(name, toArray(manager, name, tensor));
        });
        return assemble(c, arrays);
    }

    private static NDArray toArray(NDManager manager, String name, Tensor t) {
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        boolean projection = name.endsWith("_proj.weight") || name.equals("lm_head.weight");
        if (projection) {
            NDArray transposed = a.transpose().duplicate(); // contiguous (in, out)
            a.close();
            return transposed;
        }
        return a;
    }

    private static Weights assemble(TransformerConfig c, Map<String, NDArray> a) {
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            layers.add(new LayerWeights(a.get(p + "input_layernorm.weight"),
                    linear(a, p + "self_attn.q_proj", c.qkvBias()), linear(a, p + "self_attn.k_proj", c.qkvBias()),
                    linear(a, p + "self_attn.v_proj", c.qkvBias()), linear(a, p + "self_attn.o_proj", false),
                    a.get(p + "post_attention_layernorm.weight"), linear(a, p + "mlp.gate_proj", false),
                    linear(a, p + "mlp.up_proj", false), linear(a, p + "mlp.down_proj", false)));
        }
        NDArray embedding = a.get("model.embed_tokens.weight");
        NDArray lmHeadT = c.tieWordEmbeddings() ? embedding.transpose().duplicate() : a.get("lm_head.weight");
        return new Weights(embedding, layers, a.get("model.norm.weight"), lmHeadT);
    }

    /**
     * The same weights with adapters attached; keys are {@code layer/module}, e.g. {@code 3/down_proj}.
     * Projections without an adapter stay as they are.
     */
    public Weights withAdapters(Map<String, LoraAdapter> adapters) {
        return mapProjections((key, linear) -> linear.withLora(adapters.get(key)));
    }

    /**
     * The same weights with adapters folded in, {@code W^T + scale A^T B^T}, for inference: the
     * same function as {@link #withAdapters} up to float rounding, without the adapters' four extra
     * operations per projection at every step (a fine-tuned organism samples about a third faster).
     */
    public Weights withAdaptersFolded(Map<String, LoraAdapter> adapters) {
        return mapProjections((key, linear) -> linear.withLora(adapters.get(key)).folded());
    }

    /** Every layer's seven projections through {@code f}, given each one's {@code layer/module} key. */
    private Weights mapProjections(java.util.function.BiFunction<String, Linear, Linear> f) {
        List<LayerWeights> mapped = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerWeights l = layers.get(i);
            String p = i + "/";
            mapped.add(new LayerWeights(l.inputNorm(), f.apply(p + "q_proj", l.q()), f.apply(p + "k_proj", l.k()),
                    f.apply(p + "v_proj", l.v()), f.apply(p + "o_proj", l.o()), l.postAttentionNorm(),
                    f.apply(p + "gate_proj", l.gate()), f.apply(p + "up_proj", l.up()), f.apply(p + "down_proj", l.down())));
        }
        return new Weights(embedding, mapped, finalNorm, lmHeadT);
    }

    /**
     * Every array under its Hugging Face tensor name, in checkpoint order. Projections are the
     * stored (in, out) arrays; a tied model has no {@code lm_head.weight} entry.
     */
    public Map<String, NDArray> named(boolean tied) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", embedding);
        for (int i = 0; i < layers.size(); i++) {
            String p = "model.layers." + i + ".";
            LayerWeights l = layers.get(i);
            out.put(p + "input_layernorm.weight", l.inputNorm());
            out.put(p + "post_attention_layernorm.weight", l.postAttentionNorm());
            for (String proj : PROJECTIONS) {
                Linear linear = projection(i, proj.substring(proj.indexOf('.') + 1));
                out.put(p + proj + ".weight", linear.weightT());
                if (linear.bias() != null) {
                    out.put(p + proj + ".bias", linear.bias());
                }
            }
        }
        out.put("model.norm.weight", finalNorm);
        if (!tied) {
            out.put("lm_head.weight", lmHeadT);
        }
        return out;
    }

    /** The weights as checkpoint tensors in Hugging Face layout: projections back to (out, in). */
    public Map<String, Tensor> toTensors(boolean tied) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        named(tied).forEach((name, a) -> {
            boolean projection = name.endsWith("_proj.weight") || name.equals("lm_head.weight");
            long[] shape = a.getShape().getShape();
            float[] data = a.toFloatArray();
            out.put(name, projection ? new Tensor(new long[] {shape[1], shape[0]}, transpose(data, shape[0], shape[1]))
                    : new Tensor(shape, data));
        });
        return out;
    }

    // in Java rather than with an NDArray op, whose result would stay in the model's manager
    private static float[] transpose(float[] data, long rows, long cols) {
        float[] t = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[(int) (c * rows + r)] = data[(int) (r * cols + c)];
            }
        }
        return t;
    }

    /** The projection of a layer by its short name (q_proj ... down_proj). */
    public Linear projection(int layer, String module) {
        LayerWeights l = layers.get(layer);
        return switch (module) {
            case "q_proj" -> l.q();
            case "k_proj" -> l.k();
            case "v_proj" -> l.v();
            case "o_proj" -> l.o();
            case "gate_proj" -> l.gate();
            case "up_proj" -> l.up();
            case "down_proj" -> l.down();
            default -> throw new IllegalArgumentException("unknown module " + module);
        };
    }

    private static Linear linear(Map<String, NDArray> a, String prefix, boolean bias) {
        return new Linear(a.get(prefix + ".weight"), bias ? a.get(prefix + ".bias") : null);
    }
}
