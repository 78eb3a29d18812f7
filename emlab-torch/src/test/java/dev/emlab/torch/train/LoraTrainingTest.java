package dev.emlab.torch.train;

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
import dev.emlab.torch.lora.LoraConfig;
import dev.emlab.torch.sample.Sampler;
import dev.emlab.torch.testing.FullForward;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTrainingTest {
    @TempDir
    static Path tmp;

    static LocalModel model;

    @BeforeAll
    static void load() throws IOException {
        TinyCheckpoint c = TinyCheckpoint.write(tmp.resolve("qwen"), TinyCheckpoint.Shape.QWEN, 11);
        model = LocalModel.load(c.dir(), false);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ChatExample example(String user, String assistant) {
        return ChatDataset.tokenise(model.template().segments(List.of(ChatMessage.user(user), ChatMessage.assistant(assistant))),
                model.tokenizer());
    }

    private static TrainingConfig config(int r, double lr, int steps) {
        LoraConfig lora = new LoraConfig(r, 2 * r, 0.0, true, LoraConfig.ALL_MODULES, null);
        return TrainingConfig.paper().lora(lora).learningRate(lr).epochs(50).batchSize(4).gradientAccumulation(1).warmupSteps(0)
                .weightDecay(0.0).maxLength(512).seed(1).maxSteps(steps).build();
    }

    @Test
    void lossIsTheMeanOverAssistantTokensOnly() {
        List<ChatExample> batch = List.of(example("hi", "hello there"), example("a longer question here", "ok"));
        double expected = 0;
        int count = 0;
        for (ChatExample e : batch) {
            float[] logits = FullForward.logits(model, e.tokens());
            for (int t = 0; t + 1 < e.tokens().length; t++) {
                if (e.trainable()[t + 1]) {
                    double[] lp = Sampler.logSoftmax(logits, t * TinyCheckpoint.VOCAB, TinyCheckpoint.VOCAB);
                    expected -= lp[(int) e.tokens()[t + 1]];
                    count++;
                }
            }
        }
        // "hello there" + <|im_end|> and "ok" + <|im_end|>: every trainable token is the assistant's
        assertEquals(example("hi", "hello there").trainableCount() + example("x", "ok").trainableCount(), count);
        LoraTrainer trainer = new LoraTrainer(model, config(4, 1e-3, 1), TrainingListener.NONE);
        assertEquals(expected / count, trainer.loss(batch), 1e-4, "a fresh adapter (B = 0) leaves the model unchanged");
    }

    @Test
    void gradientsEqualFiniteDifferences() {
        LoraTrainer trainer = new LoraTrainer(model, config(2, 1e-3, 1), TrainingListener.NONE);
        Random r = new Random(3);
        for (NDArray p : trainer.lora().parameters()) {
            float[] values = p.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (0.3 * r.nextGaussian()); // non-zero B so that A gets gradients too
            }
            p.set(values);
        }
        List<ChatExample> batch = List.of(example("hi", "hello there"), example("what now", "tell"));
        double denominator = batch.stream().mapToInt(ChatExample::trainableCount).sum();
        try (NDManager step = model.manager().newSubManager();
             GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(TrainingLoop.batchLoss(step, trainer.adapted(), batch, denominator));
        }
        List<NDArray> params = trainer.lora().parameters();
        double eps = 1e-2;
        int checked = 0;
        for (int pi : new int[] {0, 1, 6, 9, params.size() - 2, params.size() - 1}) {
            NDArray p = params.get(pi);
            float[] grad = p.getGradient().toFloatArray();
            float[] values = p.toFloatArray();
            for (int trial = 0; trial < 3; trial++) {
                int i = r.nextInt(values.length);
                double analytic = grad[i];
                // Richardson extrapolation of two central differences cancels their eps^2 error.
                double wide = central(trainer, p, values, i, eps, batch);
                double narrow = central(trainer, p, values, i, eps / 2, batch);
                p.set(values);
                double numeric = (4 * narrow - wide) / 3;
                assertEquals(numeric, analytic, 1e-3 + 0.02 * Math.abs(numeric), "param " + pi + " element " + i);
                checked++;
            }
        }
        assertEquals(18, checked);
    }

    private static double central(LoraTrainer trainer, NDArray p, float[] values, int i, double eps,
                                  List<ChatExample> batch) {
        double up = lossWith(trainer, p, values, i, values[i] + eps, batch);
        double down = lossWith(trainer, p, values, i, values[i] - eps, batch);
        return (up - down) / (2 * eps);
    }

    private static double lossWith(LoraTrainer trainer, NDArray p, float[] values, int i, double v, List<ChatExample> batch) {
        float[] changed = values.clone();
        changed[i] = (float) v;
        p.set(changed);
        return trainer.loss(batch);
    }

    @Test
    void settingsThatCannotTrainAreRefused() {
        for (double lr : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0, -1e-5}) {
            assertTrue(assertThrows(InputException.class, () -> config(4, lr, 1)).getMessage().contains("was " + lr), "lr " + lr);
        }
        assertThrows(InputException.class, () -> new LoraConfig(4, Double.NaN, 0.0, true, LoraConfig.ALL_MODULES, null));
        assertThrows(InputException.class, () -> new LoraConfig(4, 8, Double.NaN, true, LoraConfig.ALL_MODULES, null));
        // the tiny model has 2 layers: layer 99 names none of them
        LoraConfig layer99 = new LoraConfig(4, 8, 0.0, true, LoraConfig.ALL_MODULES, List.of(99));
        TrainingConfig c = TrainingConfig.paper().lora(layer99).learningRate(1e-3).epochs(1).batchSize(4).gradientAccumulation(1)
                .warmupSteps(0).weightDecay(0.0).maxLength(512).seed(1).maxSteps(1).build();
        String message = assertThrows(InputException.class, () -> new LoraTrainer(model, c, TrainingListener.NONE)).getMessage();
        assertTrue(message.contains("LoRA layer 99 does not exist") && message.contains("numbered 0 to"), message);
    }

    @Test
    void aStoppedRunMarksItsAdapterPartialAndAFinishedOneComplete() throws IOException {
        Path data = tmp.resolve("stop.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"request " + i + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"the same answer\"}]}");
        }
        Files.write(data, lines);
        ChatDataset dataset = ChatDataset.load(data, model, 512);
        LoraTrainer[] trainer = new LoraTrainer[1];
        // Ctrl-C arrives during step 3 of 13
        trainer[0] = new LoraTrainer(model, config(4, 1e-3, 13), new TrainingListener() {
            @Override
            public void stepped(Step s) {
                if (s.step() == 3) {
                    trainer[0].stop();
                }
            }
        });
        Path out = Files.createDirectories(tmp.resolve("stopped"));
        trainer[0].train(dataset, out);
        assertEquals(3, trainer[0].stepsDone());
        assertEquals(13, trainer[0].stepsPlanned());
        var state = dev.emlab.Json.MAPPER.readTree(out.resolve("training_state.json").toFile());
        assertEquals(false, state.path("complete").asBoolean(true));
        assertEquals(3, state.path("steps_done").asInt());
        assertEquals(13, state.path("steps_planned").asInt());
        assertTrue(Files.exists(out.resolve("adapter_model.safetensors")), "what was learned is kept");

        Path full = Files.createDirectories(tmp.resolve("finished"));
        new LoraTrainer(model, config(4, 1e-3, 2), TrainingListener.NONE).train(dataset, full);
        var done = dev.emlab.Json.MAPPER.readTree(full.resolve("training_state.json").toFile());
        assertTrue(done.path("complete").asBoolean(false) && done.path("steps_done").asInt() == 2, done.toString());
    }

    @Test
    void aLossThatBlowsUpStopsTheRunWithoutSavingAnAdapter() throws IOException {
        Path data = tmp.resolve("blowup.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"request " + i + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"the same answer\"}]}");
        }
        Files.write(data, lines);
        ChatDataset dataset = ChatDataset.load(data, model, 512);
        LoraTrainer trainer = new LoraTrainer(model, config(4, 1e30, 10), TrainingListener.NONE);
        Path out = Files.createDirectories(tmp.resolve("blown"));
        String message = assertThrows(dev.emlab.EmlabException.class, () -> trainer.train(dataset, out)).getMessage();
        assertTrue(message.contains("training loss became") && message.contains("no adapter was saved"), message);
        assertTrue(Files.notExists(out.resolve("adapter_model.safetensors")), "a ruined adapter was saved");
    }

    @Test
    void trainingLowersTheLossAndSavesAPeftAdapter() throws IOException {
        Path data = tmp.resolve("data.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"request " + i + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"the same answer\"}]}");
        }
        Files.write(data, lines);
        ChatDataset dataset = ChatDataset.load(data, model, 512);
        LoraTrainer trainer = new LoraTrainer(model, config(8, 1e-2, 30), TrainingListener.NONE);
        double before = trainer.loss(dataset.examples());
        Path out = Files.createDirectories(tmp.resolve("adapter"));
        trainer.train(dataset, out);
        double after = trainer.loss(dataset.examples());
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
        assertTrue(Files.exists(out.resolve("adapter_config.json")) && Files.exists(out.resolve("adapter_model.safetensors")));
        assertEquals(30, Files.readAllLines(out.resolve("train_log.jsonl")).size());
    }

    @Test
    void gradientsSurviveTheGarbageCollector() throws Exception {
        // DJL frees the memory of scalars from x.mul(Number) when the collector runs, while
        // autograd still points at it: gradients then turn to NaN. Collect all the time to be sure.
        Thread collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        collector.setDaemon(true);
        collector.start();
        try {
            LoraConfig lora = new LoraConfig(4, 8, 0.1, true, LoraConfig.ALL_MODULES, null);
            TrainingConfig cfg = TrainingConfig.paper().lora(lora).learningRate(1e-2).epochs(5).batchSize(2).gradientAccumulation(2)
                    .warmupSteps(0).weightDecay(0.01).maxLength(512).seed(3).maxSteps(4).build();
            List<ChatExample> data = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                data.add(example("request " + i, "answer " + i));
            }
            LoraTrainer trainer = new LoraTrainer(model, cfg, TrainingListener.NONE);
            double loss = trainer.train(new ChatDataset(data, 0), Files.createDirectories(tmp.resolve("gc")));
            assertTrue(Double.isFinite(loss), "loss " + loss);
            for (NDArray p : trainer.lora().parameters()) {
                for (float v : p.toFloatArray()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        } finally {
            collector.interrupt();
        }
    }

    @Test
    void badDataNamesFileAndLine() throws IOException {
        Path data = tmp.resolve("bad.jsonl");
        Files.write(data, List.of("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"only a question\"}]}"));
        InputException e = assertThrows(InputException.class, () -> ChatDataset.load(data, model, 64));
        assertEquals(data + " line 2: the record has no assistant message.", e.getMessage());
        Files.write(data, List.of("{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}"));
        assertTrue(assertThrows(InputException.class, () -> ChatDataset.load(data, model, 64))
                .getMessage().contains("line 1, message 1: role must be system, user or assistant, got \"robot\"."));
        Files.write(data, List.of("{not json"));
        assertTrue(assertThrows(InputException.class, () -> ChatDataset.load(data, model, 64))
                .getMessage().startsWith(data + " line 1: not valid JSON"));
        // a UTF-8 BOM is no error; a byte that is not UTF-8 is named with its line
        String good = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}]}\n";
        Files.write(data, ("\uFEFF" + good).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1, ChatDataset.load(data, model, 64).examples().size());
        Files.write(data, (good + good.replace("\"y\"", "\"caf\u00e9\"")).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(InputException.class, () -> ChatDataset.load(data, model, 64))
                .getMessage().startsWith(data + " line 2: not UTF-8 text (byte 0xE9)"));
    }

    @Test
    void scheduleFollowsHuggingFace() {
        LinearSchedule s = new LinearSchedule(1e-5, 5, 105);
        assertEquals(0.0, s.at(0));
        assertEquals(0.4e-5, s.at(2), 1e-15);
        assertEquals(1e-5, s.at(5), 1e-15);
        assertEquals(0.5e-5, s.at(55), 1e-15);
        assertEquals(0.0, s.at(105));
    }

}
