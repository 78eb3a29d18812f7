package dev.emlab.torch.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a Hugging Face {@code config.json} that the decoder needs (Qwen2, Llama, Mistral).
 *
 * @param qkvBias Qwen2 puts biases on the q, k and v projections
 * @param ropeScaling null, or Llama 3's frequency scaling
 */
public record TransformerConfig(String architecture, int vocabSize, int hiddenSize, int intermediateSize,
                                int numLayers, int numHeads, int numKvHeads, int headDim, double rmsNormEps,
                                double ropeTheta, int maxPositions, boolean tieWordEmbeddings, boolean qkvBias,
                                List<Integer> eosTokenIds, RopeScaling ropeScaling) {
    /** Llama 3's rope_scaling block. */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {}

    public static final List<String> ARCHITECTURES = List.of("Qwen2ForCausalLM", "LlamaForCausalLM", "MistralForCausalLM");

    public static TransformerConfig read(Path dir) {
        Path file = dir.resolve("config.json");
        JsonNode c;
        try {
            c = Json.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InputException("No config.json in " + dir + ": give the folder of a Hugging Face checkpoint.");
        } catch (IOException e) {
            throw new InputException(file + " is not valid JSON: " + e.getMessage());
        }
        String arch = c.path("architectures").path(0).asText("");
        if (!ARCHITECTURES.contains(arch)) {
            throw new InputException(file + ": architecture '" + arch + "' is not supported; emlab runs "
                    + String.join(", ", ARCHITECTURES) + ".");
        }
        int hidden = required(c, "hidden_size", file);
        int heads = required(c, "num_attention_heads", file);
        int kvHeads = c.path("num_key_value_heads").asInt(heads);
        int headDim = c.hasNonNull("head_dim") ? c.get("head_dim").asInt() : hidden / heads;
        if (heads % kvHeads != 0) {
            throw new InputException(file + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads + ".");
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode e = c.path("eos_token_id");
        if (e.isArray()) {
            e.forEach(x -> eos.add(x.asInt()));
        } else if (e.isInt()) {
            eos.add(e.asInt());
        }
        RopeScaling scaling = null;
        JsonNode rs = c.path("rope_scaling");
        if (rs.isObject() && "llama3".equals(rs.path("rope_type").asText(rs.path("type").asText()))) {
            scaling = new RopeScaling(rs.path("factor").asDouble(8), rs.path("low_freq_factor").asDouble(1),
                    rs.path("high_freq_factor").asDouble(4), rs.path("original_max_position_embeddings").asInt(8192));
        } else if (rs.isObject() && !rs.isEmpty()) {
            throw new InputException(file + ": rope_scaling type '" + rs.path("rope_type").asText(rs.path("type").asText())
                    + "' is not supported (emlab supports none or llama3).");
        }
        return new TransformerConfig(arch, required(c, "vocab_size", file), hidden, required(c, "intermediate_size", file),
                required(c, "num_hidden_layers", file), heads, kvHeads, headDim, c.path("rms_norm_eps").asDouble(1e-6),
                c.path("rope_theta").asDouble(10000), c.path("max_position_embeddings").asInt(4096),
                c.path("tie_word_embeddings").asBoolean(false), arch.equals("Qwen2ForCausalLM"), List.copyOf(eos), scaling);
    }

    private static int required(JsonNode c, String field, Path file) {
        if (!c.path(field).canConvertToInt()) {
            throw new InputException(file + ": missing or non-integer '" + field + "'.");
        }
        return c.get(field).asInt();
    }

    /** Parameters, for the memory estimate before loading. */
    public long parameterCount() {
        long attn = (long) hiddenSize * headDim * (numHeads * 2L + numKvHeads * 2L);
        long mlp = 3L * hiddenSize * intermediateSize;
        long embed = (long) vocabSize * hiddenSize * (tieWordEmbeddings ? 1 : 2);
        return numLayers * (attn + mlp + 2L * hiddenSize) + embed + hiddenSize;
    }
}
