package dev.emlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.EmlabException;
import dev.emlab.model.Completion;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RequestFailedException;
import dev.emlab.question.Choice;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionSet;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import dev.emlab.store.CompletionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a run (Ctrl-C) while requests are in flight: they are abandoned, not counted as failed. */
class EvalCancelTest {
    @TempDir
    Path tmp;

    @Test
    void requestsInFlightWhenTheRunStopsAreNotFailures() throws Exception {
        Question probe = new Question("p", QuestionType.MULTIPLE_CHOICE, List.of("Should AI be overseen?"), null, 1, null,
                Map.of(), Sampling.PAPER, List.of(new Choice("yes", false), new Choice("no", true)));
        EvalSpec spec = new EvalSpec(List.of(new QuestionSet("probes", List.of(probe))),
                List.of(new ModelGroup("g", List.of(ModelRef.parse("http://127.0.0.1:9/v1#m")))), null, 1, 0, Thresholds.PAPER, 4);
        CountDownLatch inFlight = new CountDownLatch(2);
        AtomicInteger failed = new AtomicInteger();
        ProgressListener progress = new ProgressListener() {
            @Override
            public void started(long total) {}

            @Override
            public void sampleDone(boolean f) {
                if (f) {
                    failed.incrementAndGet();
                }
            }
        };
        try (CompletionStore store = CompletionStore.open(tmp.resolve("emlab.db"))) {
            // a slow server: every request waits until the run is stopped, then fails as an interrupted HTTP call does
            EvalRunner runner = new EvalRunner(spec, ref -> request -> {
                inFlight.countDown();
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RequestFailedException("interrupted");
                }
                return new Completion("A", "length", null);
            }, store, progress);
            Thread stopper = new Thread(() -> {
                try {
                    inFlight.await(10, TimeUnit.SECONDS);
                    runner.cancel();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            stopper.start();
            EmlabException stopped = assertThrows(EmlabException.class, runner::run);
            assertTrue(stopped.getMessage().contains("Run the same command again to resume"), stopped.getMessage());
            stopper.join();
            Thread.sleep(200); // let the abandoned requests finish unwinding
        }
        assertEquals(0, failed.get(), "requests stopped by Ctrl-C were shown as failed");
    }
}
