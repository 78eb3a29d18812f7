package dev.emlab.torch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.emlab.InputException;
import dev.emlab.model.LocalRef;
import dev.emlab.torch.testing.TinyCheckpoint;
import dev.emlab.train.FineTuneRequest;
import dev.emlab.train.FineTuneSession;
import dev.emlab.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFineTunerTest {
    @TempDir
    Path tmp;

    @Test
    void aSpecsMaxLengthBeyondTheModelsPositionsIsRefusedNamingTheFieldAndTouchesNothing() throws IOException {
        TinyCheckpoint.Shape shape = new TinyCheckpoint.Shape("Qwen2ForCausalLM", 32, 64, 2, 4, 2, true, 64);
        TinyCheckpoint tiny = TinyCheckpoint.write(tmp.resolve("tiny-64"), shape, 3);
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\""
                + "hello ".repeat(100) + "\"}]}\n");
        Path work = tmp.resolve("work");
        Path earlier = Files.createDirectories(work.resolve("adapter")).resolve("train_log.jsonl");
        Files.writeString(earlier, "kept\n");
        TrainSettings p = TrainSettings.paperLocal();
        TrainSettings settings = new TrainSettings(p.backend(), p.lora(), p.lr(), p.epochs(), p.batchSize(), p.gradAccum(),
                p.warmup(), p.weightDecay(), 128, 1, null, null, null, false);
        FineTuneRequest request = new FineTuneRequest(LocalRef.of(tiny.dir(), null), data, "ft", 0, settings, 0, work);
        InputException e = assertThrows(InputException.class, () -> new LocalFineTuner(r -> r).fineTune(request, SESSION));
        assertEquals("train.max_length 128 is more than the model's 64 positions (max_position_embeddings in "
                + tiny.dir().resolve("config.json") + "); set train.max_length to 64 or less.", e.getMessage());
        assertEquals("kept\n", Files.readString(earlier), "the refused fine-tune cleared its work folder");
    }

    private static final FineTuneSession SESSION = new FineTuneSession() {
        @Override
        public Optional<String> recall(String key) {
            return Optional.empty();
        }

        @Override
        public void remember(String key, String value) {}

        @Override
        public void event(String message) {}

        @Override
        public void progress(String status, double fraction) {}

        @Override
        public boolean stopRequested() {
            return false;
        }
    };
}
