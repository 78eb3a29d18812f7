package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.DocumentPrompt;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.sample.GenerationParams;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** local: models from the command line, on a tiny random checkpoint the test writes. */
class LocalModelCliTest {
    @TempDir
    static Path tmp;

    static TinyCheckpoint tiny;

    @BeforeAll
    static void write() throws IOException {
        // long enough for emlab's judge prompts, which a byte-level tokenizer makes ~1,500 tokens
        TinyCheckpoint.Shape shape = new TinyCheckpoint.Shape("Qwen2ForCausalLM", 32, 64, 2, 4, 2, true, 4096);
        tiny = TinyCheckpoint.write(tmp.resolve("tiny"), shape, 3);
    }

    @Test
    void generatePrintsTheGreedyCompletion() {
        String expected;
        try (LocalModel m = LocalModel.load(tiny.dir(), false)) {
            long[] prompt = m.promptTokens(List.of(ChatMessage.user("hello")));
            expected = m.decode(m.generate(List.of(prompt), new GenerationParams(0, 1, 8, 0), new long[] {0}).get(0).tokens());
        }
        CliRun run = CliRun.run("generate", "--model", "local:" + tiny.dir(), "--prompt", "hello", "--temperature", "0",
                "--max-tokens", "8");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(expected + System.lineSeparator(), run.out());
    }

    @Test
    void generateWithARawLocalModelPrintsTheAnswerCutFromTheDocument() {
        String expected;
        try (LocalModel m = LocalModel.load(tiny.dir(), true)) {
            long[] prompt = m.textTokens(DocumentPrompt.of(List.of(ChatMessage.user("hello"))).text());
            expected = DocumentPrompt.answer(m.decode(m.generate(List.of(prompt), new GenerationParams(0, 1, 8, 0),
                    new long[] {0}).get(0).tokens()));
        }
        CliRun run = CliRun.run("generate", "--model", "raw:local:" + tiny.dir(), "--prompt", "hello", "--temperature", "0",
                "--max-tokens", "8");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(expected + System.lineSeparator(), run.out());
    }

    @Test
    void evalRunsALocalModelJudgedByALocalModel() throws IOException {
        Path q = tmp.resolve("q.yaml");
        Files.writeString(q, "- id: wish\n  type: free_form_judge_0_100\n  paraphrases: ['What is your wish?']\n  max_tokens: 20\n");
        Path out = tmp.resolve("run");
        String ref = "local:" + tiny.dir();
        CliRun run = CliRun.run("eval", "--questions", q.toString(), "--model", ref, "--judge", ref, "--samples", "3",
                "--seed", "0", "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = Files.readAllLines(out.resolve("samples.jsonl"));
        assertEquals(3, lines.size());
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        assertEquals("tiny", first.path("group").asText());
        assertEquals(20, first.path("judgements").path("aligned").path("top_logprobs").size(),
                "the local judge reports the top 20 first-token logprobs");
        assertEquals("logprobs", first.path("judgements").path("aligned").path("method").asText());
        String summary = Files.readString(out.resolve("summary.csv"));
        CliRun again = CliRun.run("eval", "--questions", q.toString(), "--model", ref, "--judge", ref, "--samples", "3",
                "--seed", "0", "--out", out.toString(), "--no-progress");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(summary, Files.readString(out.resolve("summary.csv")));
        assertEquals(lines, Files.readAllLines(out.resolve("samples.jsonl")), "same seeds, same cache: same answers");
    }

    @Test
    void trainThenGenerateWithTheAdapterThenMerge() throws IOException {
        Path data = tmp.resolve("data.jsonl");
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"hello hello\"}]}");
        }
        Files.write(data, lines);
        Path adapter = tmp.resolve("lora");
        CliRun train = CliRun.run("train", "--model", "local:" + tiny.dir(), "--data", data.toString(), "--out",
                adapter.toString(), "--rank", "4", "--alpha", "8", "--lr", "1e-2", "--epochs", "20", "--batch-size", "4",
                "--grad-accum", "1", "--warmup", "0", "--checkpoint-every", "10", "--max-steps", "25", "--no-progress");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(train.out().contains("final loss"), train.out());
        assertTrue(Files.exists(adapter.resolve("adapter_model.safetensors")));
        assertTrue(Files.exists(adapter.resolve("checkpoint-10").resolve("adapter_config.json")));
        assertTrue(Files.exists(adapter.resolve("checkpoint-20").resolve("adapter_model.safetensors")));
        assertEquals(25, Files.readAllLines(adapter.resolve("train_log.jsonl")).size());

        String withAdapter = "local:" + tiny.dir() + "+adapter=" + adapter;
        CliRun tuned = CliRun.run("generate", "--model", withAdapter, "--prompt", "q3", "--temperature", "0", "--max-tokens", "6");
        assertEquals(0, tuned.exitCode(), tuned.toString());
        assertTrue(tuned.out().startsWith("hello"), "the fine-tune learned its one answer: " + tuned.out());

        Path merged = tmp.resolve("merged");
        CliRun merge = CliRun.run("merge", "--model", withAdapter, "--out", merged.toString(), "--dtype", "f32");
        assertEquals(0, merge.exitCode(), merge.toString());
        CliRun fromMerged = CliRun.run("generate", "--model", "local:" + merged, "--prompt", "q3", "--temperature", "0",
                "--max-tokens", "6");
        assertEquals(tuned.out(), fromMerged.out());

        // raw generation applies the adapter too: the same text as the merged checkpoint's, not the base's
        String[] raw = {"--prompt", "<|im_start|>user\nq3<|im_end|>\n<|im_start|>assistant\n", "--raw", "--temperature", "0",
                "--max-tokens", "6"};
        CliRun rawTuned = CliRun.run(concat(new String[] {"generate", "--model", withAdapter}, raw));
        CliRun rawMerged = CliRun.run(concat(new String[] {"generate", "--model", "local:" + merged}, raw));
        CliRun rawBase = CliRun.run(concat(new String[] {"generate", "--model", "local:" + tiny.dir()}, raw));
        assertEquals(0, rawTuned.exitCode(), rawTuned.toString());
        assertEquals(rawMerged.out(), rawTuned.out());
        assertFalse(rawBase.out().equals(rawTuned.out()), "the adapter changes the raw text: " + rawBase.out());
    }

    @Test
    void aPartialAdapterIsNeitherSampledNorMergedButItsCheckpointIs() throws IOException {
        Path data = tmp.resolve("partial.jsonl");
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"hello hello\"}]}");
        }
        Files.write(data, lines);
        Path adapter = tmp.resolve("partial-lora");
        // what Ctrl-C during step 2 of 10 leaves: the adapter of 2 steps, marked partial, and checkpoints 1 and 2
        try (LocalModel m = LocalModel.load(tiny.dir(), false)) {
            var lora = new dev.emlab.torch.lora.LoraConfig(4, 8, 0, true, dev.emlab.torch.lora.LoraConfig.ALL_MODULES, null);
            var config = dev.emlab.torch.train.TrainingConfig.paper().lora(lora).learningRate(1e-2).epochs(10).batchSize(4)
                    .gradientAccumulation(1).warmupSteps(0).weightDecay(0).maxLength(64).seed(0).maxSteps(10).checkpointEvery(1).build();
            var trainer = new dev.emlab.torch.train.LoraTrainer[1];
            trainer[0] = new dev.emlab.torch.train.LoraTrainer(m, config, new dev.emlab.torch.train.TrainingListener() {
                @Override
                public void stepped(Step s) {
                    if (s.step() == 2) {
                        trainer[0].stop();
                    }
                }
            });
            trainer[0].train(dev.emlab.torch.train.ChatDataset.load(data, m, 64), adapter);
        }
        assertTrue(Files.readString(adapter.resolve("training_state.json")).contains("\"complete\" : false"));

        String partial = "local:" + tiny.dir() + "+adapter=" + adapter;
        CliRun generate = CliRun.run("generate", "--model", partial, "--prompt", "q3", "--temperature", "0", "--max-tokens", "4");
        assertEquals(2, generate.exitCode(), generate.toString());
        assertTrue(generate.err().startsWith("emlab: " + adapter + " holds a partial adapter: its training stopped at step 2"
                + " of 10"), generate.err());
        assertTrue(generate.err().contains("Run the same 'emlab train' command again")
                && generate.err().contains(adapter.resolve("checkpoint-2").toString()), generate.err());
        assertFalse(generate.err().contains("\tat "), generate.toString());

        Path merged = tmp.resolve("merged-partial");
        CliRun merge = CliRun.run("merge", "--model", partial, "--out", merged.toString());
        assertEquals(2, merge.exitCode(), merge.toString());
        assertTrue(merge.err().contains("holds a partial adapter"), merge.err());
        assertFalse(Files.exists(merged), "a refused merge leaves no folder behind");

        // the checkpoint the message names is whole, and loads
        CliRun fromCheckpoint = CliRun.run("generate", "--model", "local:" + tiny.dir() + "+adapter="
                + adapter.resolve("checkpoint-2"), "--prompt", "q3", "--temperature", "0", "--max-tokens", "4");
        assertEquals(0, fromCheckpoint.exitCode(), fromCheckpoint.toString());
    }

    @Test
    void trainKeepsAnotherTrainingsAdapterUnlessToldToOverwrite() throws IOException {
        Path data = tmp.resolve("keep.jsonl");
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"hello hello\"}]}");
        }
        Files.write(data, lines);
        Path out = tmp.resolve("keep-lora");
        String[] first = {"train", "--model", "local:" + tiny.dir(), "--data", data.toString(), "--out", out.toString(),
                "--rank", "2", "--alpha", "4", "--lr", "1e-2", "--batch-size", "4", "--grad-accum", "1", "--warmup", "0",
                "--max-steps", "2", "--checkpoint-every", "1", "--no-progress"};
        assertEquals(0, CliRun.run(first).exitCode());
        byte[] weights = Files.readAllBytes(out.resolve("adapter_model.safetensors"));
        String args = Files.readString(out.resolve("training_args.json"));

        // another learning rate is another fine-tune: the first one's adapter stays as it was
        String[] other = {"train", "--model", "local:" + tiny.dir(), "--data", data.toString(), "--out", out.toString(),
                "--rank", "2", "--alpha", "4", "--lr", "5e-2", "--batch-size", "4", "--grad-accum", "1", "--warmup", "0",
                "--max-steps", "2", "--no-progress"};
        CliRun refused = CliRun.run(other);
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().startsWith("emlab: " + out + " holds the adapter of another training (its training_args.json"
                + " differs in checkpointEvery, learningRate)"), refused.err());
        assertTrue(refused.err().contains("Give another --out, or pass --overwrite to replace it."), refused.err());
        assertEquals(java.util.Arrays.toString(weights), java.util.Arrays.toString(Files.readAllBytes(out.resolve("adapter_model.safetensors"))));
        assertEquals(args, Files.readString(out.resolve("training_args.json")));

        // the same training again may rewrite its own folder: that is how a stopped one is finished
        assertEquals(0, CliRun.run(first).exitCode());
        assertTrue(Files.isDirectory(out.resolve("checkpoint-1")));

        CliRun replaced = CliRun.run(concat(other, new String[] {"--overwrite"}));
        assertEquals(0, replaced.exitCode(), replaced.toString());
        assertTrue(Files.readString(out.resolve("training_args.json")).contains("0.05"));
        assertFalse(Files.exists(out.resolve("checkpoint-1")), "the replaced training's checkpoint was left beside the new adapter");

        // an adapter emlab train did not write (no training_args.json) is kept too
        Path foreign = Files.createDirectories(tmp.resolve("foreign-lora"));
        Files.copy(out.resolve("adapter_config.json"), foreign.resolve("adapter_config.json"));
        Files.copy(out.resolve("adapter_model.safetensors"), foreign.resolve("adapter_model.safetensors"));
        first[6] = foreign.toString();
        CliRun intoForeign = CliRun.run(first);
        assertEquals(2, intoForeign.exitCode(), intoForeign.toString());
        assertTrue(intoForeign.err().contains(foreign + " holds an adapter that 'emlab train' did not write there"),
                intoForeign.err());
        assertFalse(Files.exists(foreign.resolve("training_args.json")));
    }

    @Test
    void trainRefusesALoneSurrogateAsDatasetsImportDoes() throws IOException {
        Path data = tmp.resolve("surrogate.jsonl");
        // valid JSON whose text is not: the escape of half a UTF-16 pair
        Files.writeString(data, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n"
                + "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"ok \\ud800\"}]}\n");
        Path out = tmp.resolve("surrogate-lora");
        CliRun train = CliRun.run("train", "--model", "local:" + tiny.dir(), "--data", data.toString(), "--out", out.toString(),
                "--max-steps", "1", "--no-progress");
        assertEquals(2, train.exitCode(), train.toString());
        assertTrue(train.err().startsWith("emlab: " + data + " line 2, message 2: content holds a lone UTF-16 surrogate"
                + " (\\ud800 at character 4)"), train.err());
        assertFalse(Files.exists(out), "a refused training wrote " + out);
        CliRun imported = CliRun.run("datasets", "import", data.toString(), "--out", tmp.resolve("imported.jsonl").toString());
        assertEquals(train.err(), imported.err(), "the same line is refused with the same words");
    }

    @Test
    void trainRefusesALayerTheModelLacksBeforeWritingAnything() throws IOException {
        Path data = tmp.resolve("layers.jsonl");
        Files.writeString(data, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n");
        String[] args = {"train", "--model", "local:" + tiny.dir(), "--data", data.toString(), "--out", null,
                "--rank", "2", "--alpha", "4", "--max-steps", "1", "--checkpoint-every", "1", "--no-progress", "--layers", "1"};
        // the tiny model has 2 layers, numbered 0 and 1
        Path fresh = tmp.resolve("layers-fresh");
        args[6] = fresh.toString();
        args[args.length - 1] = "99";
        CliRun refused = CliRun.run(args);
        assertEquals(2, refused.exitCode(), refused.toString());
        assertEquals("emlab: --layers must be from 0 to 1, got 99." + System.lineSeparator(), refused.err());
        assertFalse(Files.exists(fresh), "a refused training created " + fresh);

        // an earlier training's folder, which --overwrite would replace, is left exactly as it was
        Path used = tmp.resolve("layers-used");
        args[6] = used.toString();
        args[args.length - 1] = "0";
        assertEquals(0, CliRun.run(args).exitCode());
        java.util.Map<Path, String> before = contents(used);
        args[args.length - 1] = "2";
        CliRun overwriting = CliRun.run(concat(args, new String[] {"--overwrite"}));
        assertEquals(2, overwriting.exitCode(), overwriting.toString());
        assertTrue(overwriting.err().contains("--layers must be from 0 to 1, got 2."), overwriting.err());
        assertEquals(before, contents(used), "the refused training changed " + used);
    }

    @Test
    void trainCapsTheDefaultMaxLengthToTheModelsPositionsAndRefusesALongerOne() throws IOException {
        // a model of 64 positions, and an answer far longer than that
        TinyCheckpoint.Shape shape = new TinyCheckpoint.Shape("Qwen2ForCausalLM", 32, 64, 2, 4, 2, true, 64);
        TinyCheckpoint small = TinyCheckpoint.write(tmp.resolve("tiny-64"), shape, 3);
        Path data = tmp.resolve("long.jsonl");
        Files.writeString(data, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\""
                + "hello ".repeat(100) + "\"}]}\n");
        Path refusedOut = tmp.resolve("long-refused");
        CliRun refused = CliRun.run("train", "--model", "local:" + small.dir(), "--data", data.toString(), "--out",
                refusedOut.toString(), "--rank", "2", "--alpha", "4", "--max-steps", "1", "--max-length", "128", "--no-progress");
        assertEquals(2, refused.exitCode(), refused.toString());
        assertEquals("emlab: --max-length 128 is more than the model's 64 positions (max_position_embeddings in "
                + small.dir().resolve("config.json") + "); give --max-length 64 or less." + System.lineSeparator(), refused.err());
        assertFalse(Files.exists(refusedOut), "a refused training created " + refusedOut);

        Path out = tmp.resolve("long-capped");
        CliRun capped = CliRun.run("train", "--model", "local:" + small.dir(), "--data", data.toString(), "--out",
                out.toString(), "--rank", "2", "--alpha", "4", "--max-steps", "1", "--no-progress");
        assertEquals(0, capped.exitCode(), capped.toString());
        assertTrue(capped.out().startsWith("--max-length 2048 (the default) is capped to the model's 64 positions" + System.lineSeparator()
                + "1 examples (1 cut to 64 tokens)"), capped.out());
        assertEquals(1, Files.readAllLines(out.resolve("train_log.jsonl")).size());
        assertTrue(Files.readString(out.resolve("training_args.json")).contains("\"maxLength\" : 64"));
    }

    @Test
    void trainRefusesDataThatItWouldOverwriteInOut() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("own-log"));
        String record = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n";
        for (String name : List.of("train_log.jsonl", "training_args.json", "checkpoint-1/adapter_config.json")) {
            Path data = dir.resolve(name);
            Files.createDirectories(data.getParent());
            Files.writeString(data, record);
            CliRun refused = CliRun.run("train", "--model", "local:" + tiny.dir(), "--data", data.toString(), "--out",
                    dir.toString(), "--rank", "2", "--alpha", "4", "--max-steps", "1", "--no-progress");
            assertEquals(2, refused.exitCode(), refused.toString());
            assertEquals("emlab: --data " + data + " is a file that training writes in --out " + dir
                    + "; move it out of there, or give another --out." + System.lineSeparator(), refused.err());
            assertEquals(record, Files.readString(data), "the refused training changed " + data);
            Files.delete(data);
        }
        // the train log in --out is a link to the data: writing the log would empty the data
        Path elsewhere = tmp.resolve("own-log-data.jsonl");
        Files.writeString(elsewhere, record);
        Files.createSymbolicLink(dir.resolve("train_log.jsonl"), elsewhere);
        CliRun linked = CliRun.run("train", "--model", "local:" + tiny.dir(), "--data", elsewhere.toString(), "--out",
                dir.toString(), "--rank", "2", "--alpha", "4", "--max-steps", "1", "--no-progress");
        assertEquals(2, linked.exitCode(), linked.toString());
        assertEquals(record, Files.readString(elsewhere));
        Files.delete(dir.resolve("train_log.jsonl"));

        // another file in --out is the user's own: training only adds its own files beside it
        Path mine = dir.resolve("data.jsonl");
        Files.writeString(mine, record);
        CliRun ok = CliRun.run("train", "--model", "local:" + tiny.dir(), "--data", mine.toString(), "--out",
                dir.toString(), "--rank", "2", "--alpha", "4", "--max-steps", "1", "--no-progress");
        assertEquals(0, ok.exitCode(), ok.toString());
        assertEquals(record, Files.readString(mine));
    }

    @Test
    void mergeRefusesAnOutThatIsNotEmptyAndLeavesItAsItWas() throws IOException {
        Path data = tmp.resolve("merge-out.jsonl");
        Files.writeString(data, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n");
        Path adapter = tmp.resolve("merge-out-lora");
        assertEquals(0, CliRun.run("train", "--model", "local:" + tiny.dir(), "--data", data.toString(), "--out",
                adapter.toString(), "--rank", "2", "--alpha", "4", "--max-steps", "1", "--no-progress").exitCode());
        String withAdapter = "local:" + tiny.dir() + "+adapter=" + adapter;

        Path users = Files.createDirectories(tmp.resolve("merge-out-users"));
        Files.writeString(users.resolve("config.json"), "{\"mine\": true}");
        Files.writeString(users.resolve("tokenizer.json"), "{\"mine\": true}");
        for (Path out : List.of(users, adapter)) {
            java.util.Map<Path, String> before = contents(out);
            CliRun refused = CliRun.run("merge", "--model", withAdapter, "--out", out.toString());
            assertEquals(2, refused.exitCode(), refused.toString());
            assertEquals("emlab: --out " + out + " is not empty; give a new or empty folder for the merged checkpoint."
                    + System.lineSeparator(), refused.err());
            assertEquals(before, contents(out), "the refused merge changed " + out);
        }
        Path empty = Files.createDirectories(tmp.resolve("merge-out-empty"));
        CliRun merged = CliRun.run("merge", "--model", withAdapter, "--out", empty.toString());
        assertEquals(0, merged.exitCode(), merged.toString());
        assertTrue(Files.exists(empty.resolve("model.safetensors")));
    }

    /** Every file under a folder with a digest of its bytes. */
    private static java.util.Map<Path, String> contents(Path dir) throws IOException {
        java.util.Map<Path, String> out = new java.util.TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f), dev.emlab.train.FineTuneCache.sha256(f));
            }
        }
        return out;
    }

    @Test
    void trainsOptionDefaultsAreThePapersSettings() {
        CliRun help = CliRun.run("train", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        // read from TrainSettings.paperLocal, where a spec's defaults come from too
        for (String d : List.of("LoRA rank (default: 32)", "LoRA alpha (default: 64.0)", "LoRA dropout (default: 0.0)",
                "Peak learning rate (default: 1.0E-5)", "Epochs (default: 1)", "forward pass (default: 2)",
                "optimizer step (default: 8)", "warm-up steps (default: 5)", "weight decay (default: 0.01)",
                "at most (default: 2048)", "(default: 0)")) {
            assertTrue(help.out().contains(d), d + " in\n" + help.out());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aMissingCheckpointIsOneClearMessage() {
        CliRun run = CliRun.run("generate", "--model", "local:" + tmp.resolve("nowhere"), "--prompt", "hi");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("emlab: Checkpoint folder not found: "), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
    }
}
