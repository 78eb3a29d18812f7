package dev.emlab.torch.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A Hugging Face checkpoint folder: config.json, weights in one safetensors file or shards listed
 * by model.safetensors.index.json, and tokenizer.json. Tensors are read one at a time so the Java
 * heap never holds more than the largest one.
 */
public record Checkpoint(Path dir, TransformerConfig config, Map<String, Path> tensorFiles) {
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("Checkpoint folder not found: " + dir);
        }
        TransformerConfig config = TransformerConfig.read(dir);
        Map<String, Path> files = new LinkedHashMap<>();
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.exists(index)) {
            try {
                JsonNode map = Json.MAPPER.readTree(Files.readString(index)).path("weight_map");
                map.properties().forEach(e -> files.put(e.getKey(), dir.resolve(e.getValue().asText())));
            } catch (IOException e) {
                throw new InputException(index + " is not valid JSON: " + e.getMessage());
            }
        } else {
            Path single = dir.resolve("model.safetensors");
            if (!Files.exists(single)) {
                throw new InputException("No model.safetensors or model.safetensors.index.json in " + dir
                        + "; emlab reads safetensors weights only.");
            }
            Safetensors.entries(single).keySet().forEach(name -> files.put(name, single));
        }
        return new Checkpoint(dir, config, files);
    }

    /** The files of a checkpoint besides its weights (config, tokenizer), which a derived checkpoint keeps. */
    private static final List<String> METADATA = List.of("config.json", "tokenizer.json", "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json", "vocab.json", "merges.txt");

    /** Copies this checkpoint's config and tokenizer files into {@code out}, for a checkpoint derived from it. */
    public void copyMetadataTo(Path out) throws IOException {
        for (String f : METADATA) {
            if (Files.exists(dir.resolve(f))) {
                Files.copy(dir.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    public Path tokenizerFile() {
        Path t = dir.resolve("tokenizer.json");
        if (!Files.exists(t)) {
            throw new InputException("No tokenizer.json in " + dir + ".");
        }
        return t;
    }

    /** Fails with the missing tensor's name when the weights do not match the config. */
    public void requireTensors(Iterable<String> names) {
        for (String n : names) {
            if (!tensorFiles.containsKey(n)) {
                throw new InputException(dir + ": tensor '" + n + "' is missing; the weights do not match config.json"
                        + " (architecture " + config.architecture() + ").");
            }
        }
    }

    /** Reads every tensor, one file at a time, handing each to the consumer. */
    public void forEachTensor(BiConsumer<String, Tensor> consumer) {
        Set<Path> shards = new LinkedHashSet<>(tensorFiles.values());
        for (Path shard : shards) {
            Safetensors.read(shard).forEach(consumer);
        }
    }

    /** Refuses before loading when fp32 weights would not fit in the machine's memory. */
    public void checkMemory() {
        long need = config.parameterCount() * 4L;
        long total = physicalMemory();
        if (total > 0 && need > total * 0.8) {
            throw new InputException(String.format("%s needs about %.1f GiB for its weights in fp32, but this machine has"
                    + " %.1f GiB of memory; use a smaller model or a machine with more memory.",
                    dir, need / (double) (1L << 30), total / (double) (1L << 30)));
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
