package dev.emlab.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** emlab's progress bars: one look (ASCII, on the given stream) for every long command. */
final class ConsoleBars {
    private ConsoleBars() {}

    /** @param unit what one step counts, e.g. "samples"; its rate is shown when {@code showSpeed} */
    static ProgressBar open(PrintStream out, String task, long total, String unit, boolean showSpeed) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .setUnit(" " + unit, 1);
        if (showSpeed) {
            b.showSpeed();
        }
        return b.build();
    }
}
