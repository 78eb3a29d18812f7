package dev.emlab.cli;

import dev.emlab.eval.ProgressListener;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;

/** Shows sampling and judging progress (rate and ETA) on standard error. */
final class ProgressBarListener implements ProgressListener, AutoCloseable {
    private final PrintStream out;
    private final String task;
    private final AtomicLong failed = new AtomicLong();
    private volatile ProgressBar bar;

    ProgressBarListener(PrintStream out, String task) {
        this.out = out;
        this.task = task;
    }

    @Override
    public void started(long total) {
        bar = ConsoleBars.open(out, task, total, "samples", true);
    }

    @Override
    public void sampleDone(boolean failedSample) {
        if (failedSample) {
            failed.incrementAndGet();
            bar.setExtraMessage(failed.get() + " failed");
        }
        bar.step();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
