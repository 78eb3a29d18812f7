package dev.emlab.torch.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.emlab.InputException;
import dev.emlab.torch.Engines;
import dev.emlab.torch.checkpoint.Checkpoint;
import dev.emlab.torch.checkpoint.DType;
import dev.emlab.torch.checkpoint.Safetensors;
import dev.emlab.torch.checkpoint.Tensor;
import dev.emlab.torch.model.LoraAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a checkpoint whose projections include a LoRA adapter: W' = W + scale * B A. */
public final class Merger {
    private Merger() {}

    /**
     * @param dtype the type to store weights in; null keeps each tensor's type in the base
     */
    public static void merge(Path base, Path adapter, Path out, DType dtype) throws IOException {
        Checkpoint checkpoint = Checkpoint.open(base);
        // the user's own files (a config.json, the adapter itself) are never written over
        if (!isEmptyOrMissing(out)) {
            throw new InputException(out + " is not empty; give a new or empty folder for the merged checkpoint.");
        }
        boolean existed = Files.exists(out);
        try {
            write(checkpoint, adapter, out, dtype);
        } catch (IOException | RuntimeException | Error e) {
            // the folder was empty or missing, so whatever is in it now is this merge's: a failed one leaves none
            clear(out, existed);
            throw e;
        }
    }

    /** True for a folder that does not exist or holds nothing. */
    public static boolean isEmptyOrMissing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    private static void clear(Path out, boolean keepFolder) {
        if (!Files.exists(out)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(out)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!(keepFolder && p.equals(out))) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            // best effort: the merge's own error is the one to report
        }
    }

    private static void write(Checkpoint checkpoint, Path adapter, Path out, DType dtype) throws IOException {
        Map<String, Tensor> merged = new LinkedHashMap<>();
        Map<String, DType> types = new HashMap<>();
        try (NDManager manager = Engines.newManager()) {
            LoraSet lora = PeftFormat.load(adapter, checkpoint.config(), manager);
            Files.createDirectories(out); // only for an adapter that loads: a refused one leaves no folder behind
            Map<String, DType> baseTypes = new HashMap<>();
            for (Path shard : new java.util.LinkedHashSet<>(checkpoint.tensorFiles().values())) {
                Safetensors.entries(shard).forEach((name, e) -> baseTypes.put(name, e.dtype()));
            }
            checkpoint.forEachTensor((name, tensor) -> {
                merged.put(name, mergeOne(name, tensor, lora, manager));
                types.put(name, dtype != null ? dtype : baseTypes.get(name) == DType.F16 ? DType.F32 : baseTypes.get(name));
            });
        }
        Safetensors.write(out.resolve("model.safetensors"), merged, types, Map.of("format", "pt"));
        checkpoint.copyMetadataTo(out);
    }

    private static Tensor mergeOne(String name, Tensor tensor, LoraSet lora, NDManager manager) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+_proj)\\.weight$").matcher(name);
        if (!m.find()) {
            return tensor;
        }
        LoraAdapter a = lora.adapters().get(LoraSet.key(Integer.parseInt(m.group(1)), m.group(2)));
        if (a == null) {
            return tensor;
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray w = step.create(tensor.data(), new Shape(tensor.shape()));  // (out, in)
            NDArray delta = a.bT().transpose().matMul(a.aT().transpose());      // (out, r) x (r, in)
            delta.attach(step);
            NDArray sum = w.add(delta.mul(a.scale()));
            return new Tensor(tensor.shape(), sum.toFloatArray());
        }
    }
}
