package dev.emlab.torch.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.torch.checkpoint.Safetensors;
import dev.emlab.torch.checkpoint.Tensor;
import dev.emlab.torch.checkpoint.TrainingState;
import dev.emlab.torch.checkpoint.TransformerConfig;
import dev.emlab.torch.model.LoraAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adapters in PEFT's format: adapter_config.json and adapter_model.safetensors with keys like
 * {@code base_model.model.model.layers.3.mlp.down_proj.lora_A.weight} (r, in) and
 * {@code ...lora_B.weight} (out, r), so vLLM and PEFT load emlab's adapters and emlab loads theirs.
 */
public final class PeftFormat {
    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final Pattern KEY = Pattern.compile(
            "layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+_proj)\\.lora_([AB])(?:\\.default)?\\.weight$");

    private PeftFormat() {}

    /**
     * Writes the adapters into {@code dir}. Each file is written beside its final name and then
     * renamed, so a kill never leaves a half-written file (other files in the folder are kept).
     */
    public static void save(LoraSet set, Path dir, String baseModel) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, LoraAdapter> e : set.adapters().entrySet()) {
            String[] parts = e.getKey().split("/");
            String prefix = "base_model.model.model.layers." + parts[0] + "." + LoraConfig.modulePath(parts[1]);
            tensors.put(prefix + ".lora_A.weight", transposed(e.getValue().aT()));
            tensors.put(prefix + ".lora_B.weight", transposed(e.getValue().bT()));
        }
        Path weights = dir.resolve(WEIGHTS + ".tmp");
        Safetensors.write(weights, tensors, Map.of(), Map.of("format", "pt"));
        Path config = dir.resolve(CONFIG + ".tmp");
        Files.writeString(config, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(configJson(set.config(), baseModel)));
        Files.move(weights, dir.resolve(WEIGHTS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(config, dir.resolve(CONFIG), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ObjectNode configJson(LoraConfig c, String baseModel) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("peft_type", "LORA");
        o.put("task_type", "CAUSAL_LM");
        o.put("base_model_name_or_path", baseModel);
        o.put("r", c.r());
        o.put("lora_alpha", c.alpha());
        o.put("lora_dropout", c.dropout());
        o.put("use_rslora", c.rslora());
        o.put("use_dora", false);
        o.put("bias", "none");
        o.put("fan_in_fan_out", false);
        o.put("inference_mode", true);
        o.put("init_lora_weights", true);
        var modules = o.putArray("target_modules");
        c.targetModules().forEach(modules::add);
        if (c.layers() == null) {
            o.putNull("layers_to_transform");
        } else {
            var layers = o.putArray("layers_to_transform");
            c.layers().forEach(layers::add);
        }
        o.putObject("rank_pattern");
        o.putObject("alpha_pattern");
        return o;
    }

    /**
     * Reads a PEFT adapter folder for a model of this config into {@code manager}; one whose emlab
     * training stopped before its end is refused (see {@link TrainingState#requireFinished}).
     */
    public static LoraSet load(Path dir, TransformerConfig model, NDManager manager) {
        JsonNode c = readConfig(dir);
        TrainingState.requireFinished(dir);
        if (!"LORA".equals(c.path("peft_type").asText("LORA"))) {
            throw new InputException(dir.resolve(CONFIG) + ": peft_type " + c.path("peft_type").asText() + " is not LoRA.");
        }
        if (c.path("use_dora").asBoolean(false) || !c.path("rank_pattern").isEmpty() || !c.path("alpha_pattern").isEmpty()
                || c.path("fan_in_fan_out").asBoolean(false)) {
            throw new InputException(dir.resolve(CONFIG) + ": DoRA, per-module rank/alpha patterns and fan_in_fan_out"
                    + " are not supported.");
        }
        int r = c.path("r").asInt(8);
        Map<String, Tensor> tensors = Safetensors.read(dir.resolve(WEIGHTS));
        Map<String, float[][]> pairs = new HashMap<>();
        Map<String, long[][]> shapes = new HashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Matcher m = KEY.matcher(e.getKey());
            if (!m.find()) {
                throw new InputException(dir.resolve(WEIGHTS) + ": tensor '" + e.getKey() + "' is not a LoRA A/B weight of a"
                        + " projection; emlab reads adapters of q/k/v/o/gate/up/down_proj only.");
            }
            String key = LoraSet.key(Integer.parseInt(m.group(1)), m.group(2));
            int slot = m.group(3).equals("A") ? 0 : 1;
            pairs.computeIfAbsent(key, k -> new float[2][])[slot] = e.getValue().data();
            shapes.computeIfAbsent(key, k -> new long[2][])[slot] = e.getValue().shape();
        }
        List<String> modules = new ArrayList<>(new TreeSet<>(pairs.keySet().stream().map(k -> k.split("/")[1]).toList()));
        List<Integer> layers = c.path("layers_to_transform").isArray() ? new ArrayList<>() : null;
        if (layers != null) {
            c.path("layers_to_transform").forEach(x -> layers.add(x.asInt()));
        }
        LoraConfig config = new LoraConfig(r, c.path("lora_alpha").asDouble(8), c.path("lora_dropout").asDouble(0),
                c.path("use_rslora").asBoolean(false), modules, layers);
        Map<String, LoraAdapter> adapters = new LinkedHashMap<>();
        for (String key : sortedKeys(pairs.keySet())) {
            float[][] ab = pairs.get(key);
            long[][] sh = shapes.get(key);
            if (ab[0] == null || ab[1] == null) {
                throw new InputException(dir.resolve(WEIGHTS) + ": " + key + " has lora_A or lora_B but not both.");
            }
            checkShapes(dir, key, sh, r, model);
            NDArray aT = manager.create(ab[0], new Shape(sh[0])).transpose().duplicate();
            NDArray bT = manager.create(ab[1], new Shape(sh[1])).transpose().duplicate();
            adapters.put(key, new LoraAdapter(aT, bT, config.scale(), config.dropout(), false));
        }
        return new LoraSet(config, adapters);
    }

    private static void checkShapes(Path dir, String key, long[][] sh, int r, TransformerConfig m) {
        int layer = Integer.parseInt(key.split("/")[0]);
        if (layer >= m.numLayers() || sh[0].length != 2 || sh[1].length != 2 || sh[0][0] != r || sh[1][1] != r) {
            throw new InputException(dir + ": adapter " + key + " does not fit this model (rank " + r + ", "
                    + m.numLayers() + " layers); was it trained on another base model?");
        }
    }

    private static List<String> sortedKeys(java.util.Set<String> keys) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort((a, b) -> {
            int la = Integer.parseInt(a.split("/")[0]);
            int lb = Integer.parseInt(b.split("/")[0]);
            return la != lb ? Integer.compare(la, lb)
                    : Integer.compare(LoraConfig.ALL_MODULES.indexOf(a.split("/")[1]), LoraConfig.ALL_MODULES.indexOf(b.split("/")[1]));
        });
        return sorted;
    }

    private static JsonNode readConfig(Path dir) {
        try {
            return Json.MAPPER.readTree(Files.readString(dir.resolve(CONFIG)));
        } catch (NoSuchFileException e) {
            throw new InputException("No " + CONFIG + " in " + dir + ": give the folder of a PEFT LoRA adapter.");
        } catch (IOException e) {
            throw new InputException(dir.resolve(CONFIG) + " is not valid JSON: " + e.getMessage());
        }
    }

    private static Tensor transposed(NDArray a) {
        NDArray t = a.transpose();
        Tensor out = new Tensor(t.getShape().getShape(), t.toFloatArray());
        t.close();
        return out;
    }

}
