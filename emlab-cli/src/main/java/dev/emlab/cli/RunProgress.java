package dev.emlab.cli;

import dev.emlab.eval.ProgressListener;
import dev.emlab.experiment.ExperimentListener;
import dev.emlab.experiment.Job;
import dev.emlab.model.LocalRef;
import dev.emlab.store.JobStore;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ProgressBar;

/**
 * An experiment's progress on standard error: a line when a job starts or ends, remote events as
 * lines, and a progress bar for the job on the local engine (one runs there at a time, so bars
 * never overlap; remote jobs run side by side and report in lines).
 */
final class RunProgress implements ExperimentListener, AutoCloseable {
    private final PrintStream out;
    private final boolean show;
    private final boolean localTraining;
    private final Map<String, String> lastStatus = new ConcurrentHashMap<>();
    private final Map<String, ProgressBar> bars = new ConcurrentHashMap<>();
    private final Map<String, ProgressBarListener> sampling = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();

    RunProgress(PrintStream out, boolean show, boolean localTraining) {
        this.out = out;
        this.show = show;
        this.localTraining = localTraining;
    }

    @Override
    public synchronized void started(Job job) {
        line(job.id() + ": started");
    }

    @Override
    public synchronized void finished(Job job, JobStore.State state, String detail) {
        ProgressBar bar = bars.remove(job.id());
        if (bar != null) {
            bar.close();
        }
        ProgressBarListener s = sampling.remove(job.id());
        if (s != null) {
            s.close();
        }
        String what = switch (state) {
            case DONE -> job instanceof Job.Train ? "trained" : "evaluated";
            case FAILED -> "FAILED: " + detail;
            case BLOCKED -> "not started: " + detail;
            default -> "stopped; continues on the next run";
        };
        line(job.id() + ": " + what);
    }

    @Override
    public synchronized void event(Job job, String message) {
        line(job.id() + ": " + message);
    }

    @Override
    public void training(Job job, String status, double fraction) {
        if (show && localTraining && !Double.isNaN(fraction)) {
            ProgressBar bar = bars.computeIfAbsent(job.id(), id -> ConsoleBars.open(out, "train", 1000, "‰", false));
            bar.stepTo(Math.round(fraction * 1000));
            bar.setExtraMessage(status);
            return;
        }
        String last = lastStatus.put(job.id(), status.replaceAll("[0-9.]+", "#"));
        if (last == null || !last.equals(lastStatus.get(job.id()))) {
            synchronized (this) {
                line(job.id() + ": " + status);
            }
        }
    }

    @Override
    public ProgressListener sampling(Job job) {
        boolean local = job instanceof Job.Eval e && (e.model() != null ? e.model().backend() instanceof LocalRef : localTraining);
        if (!show || !local) {
            return ProgressListener.NONE;
        }
        ProgressBarListener bar = new ProgressBarListener(out, "eval");
        sampling.put(job.id(), bar);
        return bar;
    }

    private void line(String text) {
        double s = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "[%02d:%02d] %s%n", (long) s / 60, (long) s % 60, text);
        out.flush();
    }

    @Override
    public void close() {
        bars.values().forEach(ProgressBar::close);
        sampling.values().forEach(ProgressBarListener::close);
    }
}
