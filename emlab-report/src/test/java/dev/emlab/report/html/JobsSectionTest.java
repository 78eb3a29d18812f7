package dev.emlab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.emlab.report.Fixtures;
import dev.emlab.report.run.RunFolder;
import dev.emlab.store.JobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsSectionTest {
    @TempDir
    Path tmp;

    @Test
    void failedJobsAreListedWithTheirReason() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("exp"));
        Files.copy(Fixtures.stored("eval-scripted").resolve("summary.csv"), run.resolve("summary.csv"));
        try (JobStore store = JobStore.open(run.resolve("emlab.db"), false)) {
            store.plan(List.of(new JobStore.Planned("train/insecure/seed0", "train", "k1"),
                    new JobStore.Planned("eval/insecure/seed0", "eval", "k2"), new JobStore.Planned("eval/base", "eval", "k3")));
            store.done("eval/base", "{\"model\":\"m\"}");
            store.running("train/insecure/seed0");
            store.failed("train/insecure/seed0", "moderation rejected <script>alert(1)</script>");
            store.blocked("eval/insecure/seed0", "needs train/insecure/seed0");
        }
        Document doc = Jsoup.parse(Report.render(RunFolder.open(run), null).html());
        assertEquals("3 jobs in emlab.db: 1 done, 1 failed, 1 blocked. The results above cover the finished jobs only; "
                + "run the experiment again to finish the rest.", doc.getElementById("jobs-summary").text());
        assertEquals(List.of("train/insecure/seed0", "failed", "1", "moderation rejected <script>alert(1)</script>"),
                doc.select("#failed-jobs tbody tr").get(0).select("td").eachText());
        assertEquals(2, doc.select("#failed-jobs tbody tr").size());
    }

    @Test
    void anEvalCacheIsNotAnExperiment() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("eval"));
        Files.copy(Fixtures.stored("eval-scripted").resolve("summary.csv"), run.resolve("summary.csv"));
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + run.resolve("emlab.db"))) {
            db.createStatement().execute("CREATE TABLE completions (key TEXT)");
        }
        Document doc = Jsoup.parse(Report.render(RunFolder.open(run), null).html());
        assertNull(doc.getElementById("jobs"));
    }
}
