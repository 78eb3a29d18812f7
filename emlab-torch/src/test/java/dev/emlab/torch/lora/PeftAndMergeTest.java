package dev.emlab.torch.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.checkpoint.DType;
import dev.emlab.torch.checkpoint.Safetensors;
import dev.emlab.torch.checkpoint.Tensor;
import dev.emlab.torch.testing.FullForward;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAndMergeTest {
    @TempDir
    static Path tmp;

    static TinyCheckpoint base;
    static Path adapter;
    static float[] adaptedLogits;
    static float[] baseLogits;
    static float[] layer1DownA; // (in, r) as emlab holds it: A^T

    private static final long[] TOKENS = {TinyCheckpoint.IM_START, 104, 105, 33, 10, TinyCheckpoint.IM_END, 97, 98};

    /** Random non-zero adapters on every projection of layer 1 and on q_proj of layer 0, saved in PEFT format. */
    @BeforeAll
    static void writeAdapter() throws IOException {
        base = TinyCheckpoint.write(tmp.resolve("base"), TinyCheckpoint.Shape.QWEN, 5);
        adapter = tmp.resolve("adapter");
        LoraConfig config = new LoraConfig(3, 6, 0.0, false, LoraConfig.ALL_MODULES, List.of(1));
        try (LocalModel model = LocalModel.load(base.dir(), false)) {
            baseLogits = FullForward.logits(model, TOKENS);
            LoraSet set = LoraSet.initialise(config, model.transformer().weights(), model.manager(), 9, false);
            Random r = new Random(2);
            for (NDArray p : set.parameters()) {
                float[] v = p.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.2 * r.nextGaussian());
                }
                p.set(v);
            }
            layer1DownA = set.adapters().get(LoraSet.key(1, "down_proj")).aT().toFloatArray();
            PeftFormat.save(set, adapter, base.dir().toString());
        }
        try (LocalModel adapted = LocalModel.load(base.dir(), false, adapter)) {
            adaptedLogits = FullForward.logits(adapted, TOKENS);
        }
    }

    @Test
    void adapterFilesUsePeftNamesShapesAndConfig() throws IOException {
        Map<String, Tensor> t = Safetensors.read(adapter.resolve("adapter_model.safetensors"));
        assertEquals(14, t.size(), "7 projections of layer 1, A and B each");
        Tensor a = t.get("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight");
        Tensor b = t.get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
        int in = TinyCheckpoint.Shape.QWEN.intermediate();
        assertArrayEquals(new long[] {3, in}, a.shape(), "lora_A is (r, in)");
        assertArrayEquals(new long[] {TinyCheckpoint.Shape.QWEN.hidden(), 3}, b.shape(), "lora_B is (out, r)");
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < in; col++) {
                assertEquals(layer1DownA[col * 3 + row], a.data()[row * in + col], "A[" + row + "][" + col + "]");
            }
        }
        JsonNode c = Json.MAPPER.readTree(Files.readString(adapter.resolve("adapter_config.json")));
        assertEquals("LORA", c.path("peft_type").asText());
        assertEquals(3, c.path("r").asInt());
        assertEquals(6.0, c.path("lora_alpha").asDouble());
        assertEquals(1, c.path("layers_to_transform").get(0).asInt());
        assertEquals(7, c.path("target_modules").size());
    }

    @Test
    void theAdapterChangesTheModel() {
        double maxDiff = 0;
        for (int i = 0; i < baseLogits.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(baseLogits[i] - adaptedLogits[i]));
        }
        assertTrue(maxDiff > 0.05, "a random adapter moves the logits: " + maxDiff);
    }

    @Test
    void adapterComputedByHandMatchesTheEngine() throws IOException {
        // W' = W + (alpha / r) B A for one projection, computed in plain Java, then run as a checkpoint
        Map<String, Tensor> t = Safetensors.read(adapter.resolve("adapter_model.safetensors"));
        Path manual = tmp.resolve("manual");
        Files.createDirectories(manual);
        for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(base.dir().resolve(f), manual.resolve(f));
        }
        Map<String, Tensor> weights = new java.util.LinkedHashMap<>(base.weights());
        for (String module : LoraConfig.ALL_MODULES) {
            String name = "model.layers.1." + LoraConfig.modulePath(module) + ".weight";
            Tensor w = weights.get(name);
            Tensor a = t.get("base_model.model." + name.replace(".weight", ".lora_A.weight"));
            Tensor b = t.get("base_model.model." + name.replace(".weight", ".lora_B.weight"));
            int out = (int) w.shape()[0];
            int in = (int) w.shape()[1];
            float[] merged = w.data().clone();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double sum = 0;
                    for (int k = 0; k < 3; k++) {
                        sum += b.data()[o * 3 + k] * a.data()[k * in + i];
                    }
                    merged[o * in + i] += (float) (2.0 * sum);
                }
            }
            weights.put(name, new Tensor(w.shape(), merged));
        }
        Safetensors.write(manual.resolve("model.safetensors"), weights, Map.of(), Map.of());
        try (LocalModel m = LocalModel.load(manual, false)) {
            assertClose(adaptedLogits, FullForward.logits(m, TOKENS), 1e-4);
        }
    }

    @Test
    void loadingFoldsTheAdapterIntoTheSameFunctionAsAttachingIt() throws IOException {
        // training runs the adapter beside each projection; inference folds it in: same logits
        try (LocalModel m = LocalModel.load(base.dir(), false)) {
            LoraSet set = PeftFormat.load(adapter, m.checkpoint().config(), m.manager());
            var attached = m.transformer().withWeights(m.transformer().weights().withAdapters(set.adapters()));
            float[] expected = FullForward.logits(m, attached, TOKENS);
            assertClose(expected, adaptedLogits, 1e-4);
            assertTrue(maxDiff(baseLogits, expected) > 0.05, "the attached adapter moves the logits too");
        }
    }

    @Test
    void mergedCheckpointGivesTheSameLogitsAsBasePlusAdapter() throws IOException {
        Path merged = tmp.resolve("merged");
        Merger.merge(base.dir(), adapter, merged, DType.F32);
        try (LocalModel m = LocalModel.load(merged, false)) {
            assertClose(adaptedLogits, FullForward.logits(m, TOKENS), 1e-4);
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static void assertClose(float[] expected, float[] actual, double tol) {
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertEquals(0.0, maxDiff, tol, "max logit difference");
    }
}
