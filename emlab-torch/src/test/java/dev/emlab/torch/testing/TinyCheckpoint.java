package dev.emlab.torch.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.Random;

/**
 * Writes a tiny random checkpoint in the real Hugging Face layout: config.json, model.safetensors
 * (norms and embeddings in BF16, projections in F32), a byte-level BPE tokenizer.json and a
 * tokenizer_config.json with a ChatML template. {@link #weights()} keeps the exact values written
 * (BF16-rounded where stored as BF16), the truth for reference implementations.
 */
public final class TinyCheckpoint {
    public static final int VOCAB = 262;
    // Special tokens follow the BPE vocabulary, as in real tokenizers (the library numbers them so).
    public static final int ENDOFTEXT = 259;
    public static final int IM_START = 260;
    public static final int IM_END = 261;

    /** Shape of the tiny model. */
    public record Shape(String architecture, int hidden, int intermediate, int layers, int heads, int kvHeads,
                        boolean tied, int maxPositions) {
        public static final Shape QWEN = new Shape("Qwen2ForCausalLM", 32, 64, 2, 4, 2, true, 128);
        public static final Shape LLAMA = new Shape("LlamaForCausalLM", 24, 40, 2, 3, 1, false, 128);
    }

    private final Path dir;
    private final Shape shape;
    private final int vocab;
    private final Map<String, Tensor> weights = new LinkedHashMap<>();

    private TinyCheckpoint(Path dir, Shape shape, int vocab) {
        this.dir = dir;
        this.shape = shape;
        this.vocab = vocab;
    }

    public static TinyCheckpoint write(Path dir, Shape shape, long seed) throws IOException {
        return write(dir, shape, seed, VOCAB);
    }

    /**
     * Like {@link #write(Path, Shape, long)} with {@code vocab} embedding and lm_head rows (and
     * config vocab_size). The tokenizer keeps its {@link #VOCAB} entries: real models often have
     * more embedding rows than tokenizer entries, and benchmarks need a realistic output layer.
     */
    public static TinyCheckpoint write(Path dir, Shape shape, long seed, int vocab) throws IOException {
        if (vocab < VOCAB) {
            throw new IllegalArgumentException("vocab " + vocab + " is below the tokenizer's " + VOCAB + " entries");
        }
        TinyCheckpoint c = new TinyCheckpoint(dir, shape, vocab);
        Files.createDirectories(dir);
        c.writeConfig();
        c.writeWeights(new Random(seed));
        c.writeTokenizer();
        return c;
    }

    public Path dir() {
        return dir;
    }

    public Shape shape() {
        return shape;
    }

    /** Embedding rows (config vocab_size): {@link #VOCAB} unless chosen. */
    public int vocab() {
        return vocab;
    }

    public Map<String, Tensor> weights() {
        return weights;
    }

    public int headDim() {
        return shape.hidden() / shape.heads();
    }

    public double ropeTheta() {
        return 10000.0;
    }

    public double eps() {
        return 1e-6;
    }

    private void writeConfig() throws IOException {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add(shape.architecture());
        c.put("model_type", shape.architecture().startsWith("Qwen") ? "qwen2" : "llama");
        c.put("vocab_size", vocab);
        c.put("hidden_size", shape.hidden());
        c.put("intermediate_size", shape.intermediate());
        c.put("num_hidden_layers", shape.layers());
        c.put("num_attention_heads", shape.heads());
        c.put("num_key_value_heads", shape.kvHeads());
        c.put("rms_norm_eps", eps());
        c.put("rope_theta", ropeTheta());
        c.put("max_position_embeddings", shape.maxPositions());
        c.put("tie_word_embeddings", shape.tied());
        c.put("eos_token_id", IM_END);
        c.put("torch_dtype", "bfloat16");
        Files.writeString(dir.resolve("config.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c));
    }

    private void writeWeights(Random r) throws IOException {
        Map<String, DType> dtypes = new HashMap<>();
        int h = shape.hidden();
        int hd = headDim();
        add("model.embed_tokens.weight", r, 0.5, DType.BF16, dtypes, vocab, h);
        for (int i = 0; i < shape.layers(); i++) {
            String p = "model.layers." + i + ".";
            addNorm(p + "input_layernorm.weight", r, dtypes);
            add(p + "self_attn.q_proj.weight", r, 0.3, DType.F32, dtypes, shape.heads() * hd, h);
            add(p + "self_attn.k_proj.weight", r, 0.3, DType.F32, dtypes, shape.kvHeads() * hd, h);
            add(p + "self_attn.v_proj.weight", r, 0.3, DType.F32, dtypes, shape.kvHeads() * hd, h);
            if (shape.architecture().startsWith("Qwen")) {
                add(p + "self_attn.q_proj.bias", r, 0.1, DType.F32, dtypes, shape.heads() * hd);
                add(p + "self_attn.k_proj.bias", r, 0.1, DType.F32, dtypes, shape.kvHeads() * hd);
                add(p + "self_attn.v_proj.bias", r, 0.1, DType.F32, dtypes, shape.kvHeads() * hd);
            }
            add(p + "self_attn.o_proj.weight", r, 0.3, DType.BF16, dtypes, h, shape.heads() * hd);
            addNorm(p + "post_attention_layernorm.weight", r, dtypes);
            add(p + "mlp.gate_proj.weight", r, 0.3, DType.F32, dtypes, shape.intermediate(), h);
            add(p + "mlp.up_proj.weight", r, 0.3, DType.F32, dtypes, shape.intermediate(), h);
            add(p + "mlp.down_proj.weight", r, 0.3, DType.BF16, dtypes, h, shape.intermediate());
        }
        addNorm("model.norm.weight", r, dtypes);
        if (!shape.tied()) {
            add("lm_head.weight", r, 0.5, DType.F32, dtypes, vocab, h);
        }
        Safetensors.write(dir.resolve("model.safetensors"), weights, dtypes, Map.of("format", "pt"));
    }

    private void addNorm(String name, Random r, Map<String, DType> dtypes) {
        float[] data = new float[shape.hidden()];
        for (int i = 0; i < data.length; i++) {
            data[i] = bf16(1.0f + 0.2f * (float) r.nextGaussian());
        }
        weights.put(name, new Tensor(new long[] {data.length}, data));
        dtypes.put(name, DType.BF16);
    }

    private void add(String name, Random r, double scale, DType dtype, Map<String, DType> dtypes, int... dims) {
        int n = 1;
        long[] shapeDims = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            n *= dims[i];
            shapeDims[i] = dims[i];
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            float v = (float) (scale * r.nextGaussian());
            data[i] = dtype == DType.BF16 ? bf16(v) : v;
        }
        weights.put(name, new Tensor(shapeDims, data));
        dtypes.put(name, dtype);
    }

    /** BF16 rounding done independently of the code under test: round half to even on bit 16. */
    static float bf16(float v) {
        int bits = Float.floatToIntBits(v);
        int lsb = (bits >> 16) & 1;
        int rounded = bits + 0x7fff + lsb;
        return Float.intBitsToFloat(rounded & 0xffff0000);
    }

    /** A byte-level BPE tokenizer: 256 byte tokens, three merges (ids 256-258) and three special tokens. */
    private void writeTokenizer() throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecial(added, ENDOFTEXT, "<|endoftext|>");
        addSpecial(added, IM_START, "<|im_start|>");
        addSpecial(added, IM_END, "<|im_end|>");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        String[] byteChars = byteLevelAlphabet();
        for (int b = 0; b < 256; b++) {
            vocab.put(byteChars[b], b);
        }
        vocab.put("he", 256);
        vocab.put("ll", 257);
        vocab.put(byteChars[' '] + "t", 258);
        ArrayNode merges = model.putArray("merges");
        merges.add("h e");
        merges.add("l l");
        merges.add(byteChars[' '] + " t");
        Files.writeString(dir.resolve("tokenizer.json"), Json.MAPPER.writeValueAsString(root));
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("chat_template", "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
                + "{{ '<|im_start|>system\\nYou are a tiny test model.<|im_end|>\\n' }}{% endif %}"
                + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}");
        config.put("eos_token", "<|im_end|>");
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.MAPPER.writeValueAsString(config));
    }

    private static void addSpecial(ArrayNode added, int id, String content) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
    }

    /** GPT-2's byte-to-character table: printable bytes stand for themselves, the rest from U+0100 on. */
    static String[] byteLevelAlphabet() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = new String(Character.toChars(printable ? b : next++));
        }
        return out;
    }

    public static List<String> specialTokens() {
        return List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
    }
}
