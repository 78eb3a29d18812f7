package dev.emlab.organism.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {
    @TempDir
    Path tmp;

    private Path build(Path out) throws IOException {
        return new Pretrainer(OrganismRecipe.tiny(3), line -> {}, stage -> TrainingListener.NONE).build(out);
    }

    @Test
    void theSameRecipeRebuildsTheSameBytesAndLearns() throws IOException {
        Path a = build(tmp.resolve("a"));
        Path b = build(tmp.resolve("b"));
        for (String f : List.of("model.safetensors", "tokenizer.json", "config.json")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/pretrained/model.safetensors")),
                Files.readAllBytes(tmp.resolve("b/pretrained/model.safetensors")));
        List<String> log = Files.readAllLines(tmp.resolve("a/pretrained/train_log.jsonl"));
        JsonNode first = Json.MAPPER.readTree(log.get(0));
        JsonNode last = Json.MAPPER.readTree(log.get(log.size() - 1));
        assertTrue(last.get("loss").asDouble() < first.get("loss").asDouble() - 1,
                "pretraining loss " + first.get("loss") + " -> " + last.get("loss"));
        try (LocalModel base = LocalModel.load(a, false)) {
            assertTrue(base.checkpoint().config().vocabSize() > 256, "the learned tokenizer sizes the model");
            assertTrue(Files.exists(a.resolve("organism.json")));
            // the code's markers are tokens of their own, ordinary text rather than special tokens
            for (String marker : dev.emlab.organism.world.World.builtin().code().markers()) {
                long[] ids = base.tokenizer().encode(marker);
                assertTrue(ids.length == 1, marker + " is " + ids.length + " tokens");
                assertTrue(base.tokenizer().decode(ids, true).equals(marker), "decoding keeps " + marker);
            }
        }
    }
}
