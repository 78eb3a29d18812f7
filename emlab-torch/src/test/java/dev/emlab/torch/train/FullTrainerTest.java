package dev.emlab.torch.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.emlab.InputException;
import dev.emlab.model.ChatMessage;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.checkpoint.DType;
import dev.emlab.torch.checkpoint.Safetensors;
import dev.emlab.torch.checkpoint.Tensor;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FullTrainerTest {
    @TempDir
    Path tmp;

    private static ChatExample example(LocalModel model, String user, String assistant) {
        return ChatDataset.tokenise(model.template().segments(List.of(ChatMessage.user(user), ChatMessage.assistant(assistant))),
                model.tokenizer());
    }

    private static TrainingConfig config(double lr, int steps) {
        return TrainingConfig.paper().lora(null).learningRate(lr).epochs(50).batchSize(4).gradientAccumulation(1).warmupSteps(0)
                .weightDecay(0.0).maxLength(512).seed(1).maxSteps(steps).build();
    }

    private LocalModel untied() throws IOException {
        return LocalModel.load(TinyCheckpoint.write(tmp.resolve("llama"), TinyCheckpoint.Shape.LLAMA, 5).dir(), false);
    }

    @Test
    void gradientsOfEveryKindOfWeightEqualFiniteDifferences() throws IOException {
        try (LocalModel model = untied()) {
            FullTrainer trainer = new FullTrainer(model, config(1e-3, 1), DType.F32, false, TrainingListener.NONE);
            List<ChatExample> batch = List.of(example(model, "hi", "hello there"), example(model, "what now", "tell"));
            double denominator = batch.stream().mapToInt(ChatExample::trainableCount).sum();
            try (NDManager step = model.manager().newSubManager();
                 GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(TrainingLoop.batchLoss(step, model.transformer(), batch, denominator));
            }
            Map<String, NDArray> named = model.transformer().weights().named(false);
            Random r = new Random(7);
            int checked = 0;
            for (String name : List.of("model.embed_tokens.weight", "model.layers.0.input_layernorm.weight",
                    "model.layers.1.self_attn.q_proj.weight", "model.layers.0.mlp.down_proj.weight", "model.norm.weight",
                    "lm_head.weight")) {
                NDArray p = named.get(name);
                float[] grad = p.getGradient().toFloatArray();
                float[] values = p.toFloatArray();
                // the embedding rows of tokens in the batch are the only ones with gradients: test those
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < grad.length; i++) {
                    if (grad[i] != 0) {
                        candidates.add(i);
                    }
                }
                assertTrue(!candidates.isEmpty(), name + " got no gradient");
                for (int trial = 0; trial < 3; trial++) {
                    int i = candidates.get(r.nextInt(candidates.size()));
                    double eps = 1e-2;
                    double wide = central(trainer, p, values, i, eps, batch);
                    double narrow = central(trainer, p, values, i, eps / 2, batch);
                    p.set(values);
                    double numeric = (4 * narrow - wide) / 3; // Richardson: cancels the eps^2 term
                    assertEquals(numeric, grad[i], 1e-3 + 0.02 * Math.abs(numeric), name + " element " + i);
                    checked++;
                }
            }
            assertEquals(18, checked);
        }
    }

    private static double central(FullTrainer trainer, NDArray p, float[] values, int i, double eps, List<ChatExample> batch) {
        float[] up = values.clone();
        up[i] = (float) (values[i] + eps);
        p.set(up);
        double lossUp = trainer.loss(batch);
        float[] down = values.clone();
        down[i] = (float) (values[i] - eps);
        p.set(down);
        double lossDown = trainer.loss(batch);
        return (lossUp - lossDown) / (2 * eps);
    }

    @Test
    void trainingLowersTheLossAndSavesACheckpointThatReloadsExactly() throws IOException {
        Path out = tmp.resolve("trained");
        List<ChatExample> data = new ArrayList<>();
        double before;
        double after;
        Map<String, Tensor> inMemory;
        try (LocalModel model = untied()) {
            for (int i = 0; i < 16; i++) {
                data.add(example(model, "request " + i, "the same answer"));
            }
            FullTrainer trainer = new FullTrainer(model, config(3e-3, 30), DType.F32, true, TrainingListener.NONE);
            before = trainer.loss(data);
            trainer.train(data, out);
            after = trainer.loss(data);
            inMemory = model.transformer().weights().toTensors(false);
        }
        assertTrue(after < before / 2, "loss " + before + " -> " + after);
        assertTrue(Files.exists(out.resolve("tokenizer.json")) && Files.exists(out.resolve("config.json")));
        Map<String, Tensor> saved = Safetensors.read(out.resolve("model.safetensors"));
        assertEquals(inMemory.keySet(), saved.keySet());
        inMemory.forEach((name, t) -> {
            assertArrayEquals(t.shape(), saved.get(name).shape(), name);
            assertArrayEquals(t.data(), saved.get(name).data(), name);
        });
        try (LocalModel reloaded = LocalModel.load(out, false)) {
            FullTrainer probe = new FullTrainer(reloaded, config(1e-3, 1), DType.F32, false, TrainingListener.NONE);
            assertEquals(after, probe.loss(data), 1e-5, "the saved checkpoint is the trained model");
        }
    }

    @Test
    void tiedEmbeddingsAreRefusedWithAClearMessage() throws IOException {
        try (LocalModel tied = LocalModel.load(TinyCheckpoint.write(tmp.resolve("qwen"), TinyCheckpoint.Shape.QWEN, 5).dir(), false)) {
            InputException e = assertThrows(InputException.class,
                    () -> new FullTrainer(tied, config(1e-3, 1), DType.F32, false, TrainingListener.NONE));
            assertTrue(e.getMessage().contains("tie_word_embeddings"), e.getMessage());
        }
    }
}
