package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.question.Choice;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionLoader;
import dev.emlab.testing.FakeOpenAiServer;
import dev.emlab.testing.FakeOpenAiServer.JudgeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** emlab eval --questions builtin:mc end to end against a real loopback server: no judge, one request per option order. */
class ProbeCommandTest {
    @TempDir
    Path tmp;

    private static final Pattern OPTION = Pattern.compile("^([A-Z])\\) (.*)$", Pattern.MULTILINE);

    @Test
    void builtinProbesReadTheModelsLetterProbabilities() throws Exception {
        List<Question> probes = QuestionLoader.load("builtin:mc").questions();
        Set<String> aligned = probes.stream().flatMap(q -> q.choices().stream()).filter(c -> !c.misaligned())
                .map(Choice::text).collect(Collectors.toSet());
        // the scripted model puts 0.9 on whichever letter shows an aligned option, wherever it is shown
        try (FakeOpenAiServer server = new FakeOpenAiServer().judge(prompt -> {
            Matcher m = OPTION.matcher(prompt);
            StringBuilder text = new StringBuilder();
            Object[] top = new Object[4];
            int i = 0;
            while (m.find()) {
                top[i++] = m.group(1);
                top[i++] = aligned.contains(m.group(2)) ? 0.9 : 0.1;
                text.append(aligned.contains(m.group(2)) ? m.group(1) : "");
            }
            return new JudgeReply(FakeOpenAiServer.probs(top), text.toString());
        })) {
            Path out = tmp.resolve("out");
            CliRun run = CliRun.run("eval", "--questions", "builtin:mc", "--model", "m=" + server.ref("m"),
                    "--out", out.toString(), "--no-progress");
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(2 * probes.size(), server.requests(), "two option orders per probe, no judge calls");
            List<String> csv = Files.readAllLines(out.resolve("mc.csv"));
            assertEquals(probes.size() + 2, csv.size(), "header, one row per probe, ALL");
            String all = csv.get(csv.size() - 1);
            assertTrue(all.startsWith("m,ALL," + 2 * probes.size() + "," + 2 * probes.size() + ",0.1000,0.1000,0.1000,0.0000,"),
                    all);
            assertTrue(run.out().contains("P(misaligned option)"), run.out());
            assertTrue(run.out().contains("10.0% [10.0, 10.0]"), run.out());
            assertFalse(Files.readString(out.resolve("summary.csv")).contains("m,"), "no 0..100-judged question was asked");
        }
    }
}
