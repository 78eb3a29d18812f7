package dev.emlab.torch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken checkpoint ends with one message that names the problem, before anything is loaded. */
class CheckpointErrorsTest {
    @TempDir
    Path tmp;

    private Path tiny() throws IOException {
        return TinyCheckpoint.write(tmp.resolve("m"), TinyCheckpoint.Shape.LLAMA, 1).dir();
    }

    private static String error(Path dir) {
        return assertThrows(InputException.class, () -> LocalModel.load(dir, false).close()).getMessage();
    }

    @Test
    void unknownArchitecture() throws IOException {
        Path dir = tiny();
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("LlamaForCausalLM", "GPTNeoXForCausalLM"));
        String m = error(dir);
        assertTrue(m.contains("architecture 'GPTNeoXForCausalLM' is not supported"), m);
    }

    @Test
    void missingTensor() throws IOException {
        Path dir = tiny();
        Map<String, Tensor> t = new java.util.LinkedHashMap<>(Safetensors.read(dir.resolve("model.safetensors")));
        t.remove("model.layers.1.mlp.up_proj.weight");
        Safetensors.write(dir.resolve("model.safetensors"), t, Map.of(), Map.of());
        String m = error(dir);
        assertTrue(m.contains("tensor 'model.layers.1.mlp.up_proj.weight' is missing"), m);
    }

    private static void setConfig(Path dir, String key, int value) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.emlab.Json.MAPPER.readTree(dir.resolve("config.json").toFile());
        c.put(key, value);
        Files.writeString(dir.resolve("config.json"), c.toString());
    }

    @Test
    void aConfigThatDisagreesWithTheWeightsNamesTheTensor() throws IOException {
        Path dir = tiny();
        setConfig(dir, "hidden_size", 32);
        String hidden = error(dir);
        // whichever tensor comes first, its found shape has the real width 24 and the config's has 32
        assertTrue(hidden.matches("(?s).*tensor 'model\\.[a-z_.0-9]+' has shape \\[[0-9, ]*24[0-9, ]*\\], but config.json"
                + " \\(hidden_size 32,.* says \\[[0-9, ]*32[0-9, ]*\\]\\. The config does not belong to these weights\\."), hidden);
        Path other = TinyCheckpoint.write(tmp.resolve("v"), TinyCheckpoint.Shape.LLAMA, 1).dir();
        setConfig(other, "vocab_size", TinyCheckpoint.VOCAB + 7);
        String vocab = error(other);
        assertTrue(vocab.contains("has shape [" + TinyCheckpoint.VOCAB + ", 24]") && vocab.contains("says ["
                + (TinyCheckpoint.VOCAB + 7) + ", 24]"), vocab);
        // fewer layers in the config than in the weights: the rest would be dropped without a word
        Path fewer = TinyCheckpoint.write(tmp.resolve("l"), TinyCheckpoint.Shape.LLAMA, 1).dir();
        setConfig(fewer, "num_hidden_layers", 1);
        String layers = error(fewer);
        assertTrue(layers.contains("tensor 'model.layers.1.") && layers.contains("(num_hidden_layers 1) does not have"), layers);
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Path dir = tiny();
        Files.delete(dir.resolve("model.safetensors"));
        assertTrue(error(dir).contains("No model.safetensors or model.safetensors.index.json"));
        assertTrue(error(tmp.resolve("nowhere")).startsWith("Checkpoint folder not found"));
        Path noConfig = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(error(noConfig).startsWith("No config.json in "));
    }

    @Test
    void aModelTooLargeForThisMachineIsRefusedBeforeLoading() throws IOException {
        Path dir = tiny();
        // 200 layers of width 16384: about 2.6e12 bytes in fp32, more than any machine here
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"hidden_size\" : 24", "\"hidden_size\" : 16384")
                .replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 200"));
        String m = error(dir);
        assertTrue(m.contains("GiB for its weights in fp32, but this machine has"), m);
    }

    @Test
    void shardedCheckpointsAreReadThroughTheirIndex() throws IOException {
        Path dir = tiny();
        Map<String, Tensor> all = Safetensors.read(dir.resolve("model.safetensors"));
        Map<String, Tensor> first = new java.util.LinkedHashMap<>();
        Map<String, Tensor> second = new java.util.LinkedHashMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        int i = 0;
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            String shard = i++ % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            (shard.contains("00001") ? first : second).put(e.getKey(), e.getValue());
            index.append(i > 1 ? "," : "").append('"').append(e.getKey()).append("\": \"").append(shard).append('"');
        }
        Files.delete(dir.resolve("model.safetensors"));
        Safetensors.write(dir.resolve("model-00001-of-00002.safetensors"), first, Map.of(), Map.of());
        Safetensors.write(dir.resolve("model-00002-of-00002.safetensors"), second, Map.of(), Map.of());
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
        Path whole = TinyCheckpoint.write(tmp.resolve("whole"), TinyCheckpoint.Shape.LLAMA, 1).dir();
        long[] tokens = {1, 5, 9, 2, 7};
        try (LocalModel sharded = LocalModel.load(dir, false); LocalModel unsharded = LocalModel.load(whole, false)) {
            float[] expected = dev.emlab.torch.testing.FullForward.logits(unsharded, tokens);
            float[] got = dev.emlab.torch.testing.FullForward.logits(sharded, tokens);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got, 1e-6f, "the shards hold the same model");
            assertTrue(java.util.stream.IntStream.range(0, got.length).anyMatch(k -> got[k] != 0), "logits are not all zero");
        }
    }
}
