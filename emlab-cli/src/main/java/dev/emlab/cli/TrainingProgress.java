package dev.emlab.cli;

import dev.emlab.torch.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/** A progress bar over optimizer steps showing the loss and tokens per second. */
final class TrainingProgress implements TrainingListener, AutoCloseable {
    private final PrintStream out;
    private final boolean show;
    private ProgressBar bar;
    private volatile Step last;

    TrainingProgress(PrintStream out, boolean show) {
        this.out = out;
        this.show = show;
    }

    @Override
    public void started(int totalSteps) {
        if (show) {
            bar = ConsoleBars.open(out, "train", totalSteps, "steps", false); // tokens/s goes in the message
        }
    }

    @Override
    public void stepped(Step step) {
        last = step;
        if (bar != null) {
            bar.stepTo(step.step());
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.0f tok/s", step.loss(), step.tokens() / step.seconds()));
        }
    }

    String summary() {
        Step s = last;
        return s == null ? "no step taken" : String.format(Locale.ROOT, "%d steps, %d tokens in %.1f s (%.0f tokens/s)",
                s.step(), s.tokens(), s.seconds(), s.tokens() / s.seconds());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
