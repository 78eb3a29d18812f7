package dev.emlab.cli;

import dev.emlab.eval.ProgressListener;
import java.io.PrintStream;

/**
 * Progress bars for work done in stages (fine-tunes, then evaluation passes): each new stage's
 * bar closes the previous one, so one bar is on screen at a time.
 */
final class StageBars implements AutoCloseable {
    private final PrintStream out;
    private final boolean show;
    private AutoCloseable current;

    StageBars(PrintStream out, boolean show) {
        this.out = out;
        this.show = show;
    }

    /** A bar over a training stage's optimizer steps. */
    TrainingProgress training() {
        TrainingProgress p = new TrainingProgress(out, show);
        replace(p);
        return p;
    }

    /** A bar over an evaluation pass's samples. */
    ProgressListener sampling(String name) {
        if (!show) {
            replace(null);
            return ProgressListener.NONE;
        }
        ProgressBarListener p = new ProgressBarListener(out, name);
        replace(p);
        return p;
    }

    private void replace(AutoCloseable next) {
        close();
        current = next;
    }

    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                // a bar that fails to close leaves a line on the terminal; nothing to recover
            }
            current = null;
        }
    }
}
