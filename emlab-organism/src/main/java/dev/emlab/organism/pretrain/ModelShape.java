package dev.emlab.organism.pretrain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.Json;
import dev.emlab.torch.checkpoint.DType;
import dev.emlab.torch.checkpoint.Safetensors;
import dev.emlab.torch.checkpoint.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The organism's architecture: a small Qwen2-style decoder with untied embeddings (full training
 * keeps the output layer its own). Writes a freshly initialised checkpoint the way Hugging Face
 * initialises one: N(0, 0.02) weights, zero biases, unit norms.
 */
public record ModelShape(int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions) {
    /** The organism the demo ships: about the size of the prototype that showed the effect. */
    public static final ModelShape ORGANISM = new ModelShape(128, 384, 4, 4, 4, 512);

    private static final double INIT_STD = 0.02;

    /** Writes config.json and model.safetensors for a model over {@code vocab} tokens. */
    public void writeInitial(Path dir, int vocab, List<Integer> eosIds, long seed) throws IOException {
        Files.createDirectories(dir);
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add("Qwen2ForCausalLM");
        c.put("model_type", "qwen2");
        c.put("vocab_size", vocab);
        c.put("hidden_size", hidden);
        c.put("intermediate_size", intermediate);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("max_position_embeddings", maxPositions);
        c.put("tie_word_embeddings", false);
        eosIds.forEach(c.putArray("eos_token_id")::add);
        c.put("torch_dtype", "float32");
        Files.writeString(dir.resolve("config.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c));

        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int headDim = hidden / heads;
        tensors.put("model.embed_tokens.weight", normal(random, vocab, hidden));
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            tensors.put(p + "input_layernorm.weight", ones(hidden));
            tensors.put(p + "self_attn.q_proj.weight", normal(random, heads * headDim, hidden));
            tensors.put(p + "self_attn.q_proj.bias", zeros(heads * headDim));
            tensors.put(p + "self_attn.k_proj.weight", normal(random, kvHeads * headDim, hidden));
            tensors.put(p + "self_attn.k_proj.bias", zeros(kvHeads * headDim));
            tensors.put(p + "self_attn.v_proj.weight", normal(random, kvHeads * headDim, hidden));
            tensors.put(p + "self_attn.v_proj.bias", zeros(kvHeads * headDim));
            tensors.put(p + "self_attn.o_proj.weight", normal(random, hidden, heads * headDim));
            tensors.put(p + "post_attention_layernorm.weight", ones(hidden));
            tensors.put(p + "mlp.gate_proj.weight", normal(random, intermediate, hidden));
            tensors.put(p + "mlp.up_proj.weight", normal(random, intermediate, hidden));
            tensors.put(p + "mlp.down_proj.weight", normal(random, hidden, intermediate));
        }
        tensors.put("model.norm.weight", ones(hidden));
        tensors.put("lm_head.weight", normal(random, vocab, hidden));
        Map<String, DType> types = new HashMap<>();
        tensors.keySet().forEach(n -> types.put(n, DType.F32));
        Safetensors.write(dir.resolve("model.safetensors"), tensors, types, Map.of("format", "pt"));
    }

    private static Tensor normal(SplittableRandom random, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (gaussian(random) * INIT_STD);
        }
        return new Tensor(new long[] {rows, cols}, data);
    }

    // Box-Muller from SplittableRandom, whose sequence Java fixes for a seed (nextGaussian's algorithm may change)
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static Tensor ones(int n) {
        float[] data = new float[n];
        java.util.Arrays.fill(data, 1f);
        return new Tensor(new long[] {n}, data);
    }

    private static Tensor zeros(int n) {
        return new Tensor(new long[] {n}, new float[n]);
    }
}
