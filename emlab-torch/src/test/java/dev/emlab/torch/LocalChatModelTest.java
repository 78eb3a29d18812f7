package dev.emlab.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalChatModelTest {
    @TempDir
    Path tmp;

    private static ChatRequest ask(String text, int seed) {
        return new ChatRequest(List.of(ChatMessage.user(text)), 1.0, 1.0, 12, seed, 5);
    }

    @Test
    void concurrentRequestsAreBatchedAndGiveWhatEachGivesAlone() throws Exception {
        Path dir = TinyCheckpoint.write(tmp.resolve("m"), TinyCheckpoint.Shape.QWEN, 4).dir();
        List<String> prompts = List.of("a", "a longer prompt", "hi", "what is this", "x", "yy", "zzz", "q");
        List<Completion> alone = new ArrayList<>();
        try (LocalChatModel model = new LocalChatModel(LocalModel.load(dir, false), 1)) {
            for (int i = 0; i < prompts.size(); i++) {
                alone.add(model.complete(ask(prompts.get(i), i)));
            }
        }
        try (LocalChatModel model = new LocalChatModel(LocalModel.load(dir, false), 8)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Completion>> futures = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                int k = i;
                futures.add(pool.submit(() -> model.complete(ask(prompts.get(k), k))));
            }
            for (int i = 0; i < prompts.size(); i++) {
                Completion c = futures.get(i).get();
                assertEquals(alone.get(i).text(), c.text(), "prompt " + i);
                assertEquals(5, c.firstTokenTopLogprobs().size());
                assertEquals(alone.get(i).firstTokenTopLogprobs().get(0).logprob(),
                        c.firstTokenTopLogprobs().get(0).logprob(), 1e-4);
            }
            pool.shutdown();
        }
        assertTrue(alone.stream().map(Completion::text).distinct().count() > 4, "different prompts and seeds differ");
    }
}
