package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.store.ExperimentLock;
import dev.emlab.store.JobStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code emlab status} says a job is running only while a run holds the folder's lock. */
class StatusCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aJobLeftRunningByAKilledRunIsShownAsStopped() {
        Path run = tmp.resolve("runs/x");
        try (JobStore store = JobStore.open(run.resolve("emlab.db"), false)) {
            store.plan(List.of(new JobStore.Planned("train/insecure/seed0", "train", "k1"),
                    new JobStore.Planned("eval/insecure/seed0", "eval", "k2")));
            store.running("train/insecure/seed0");
        }
        // what a kill -9 leaves: the store says running, and no process holds the lock
        CliRun killed = CliRun.run("status", run.toString());
        assertEquals(0, killed.exitCode(), killed.toString());
        assertTrue(killed.out().contains("1 stopped") && killed.out().contains("its running jobs were stopped"), killed.out());
        assertFalse(killed.out().contains("running  "), killed.out());
        try (ExperimentLock lock = ExperimentLock.take(run)) {
            CliRun live = CliRun.run("status", run.toString());
            assertTrue(live.out().contains("1 running"), live.out());
            assertFalse(live.out().contains("stopped"), live.out());
        }
    }
}
