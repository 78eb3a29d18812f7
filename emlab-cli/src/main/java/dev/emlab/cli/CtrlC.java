package dev.emlab.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What to do when the user presses Ctrl-C during long work: a shutdown hook that exists only
 * while the work runs (close it when the work is done). The hook asks the work to stop, then
 * holds the JVM until the work has ended: exiting while a native training step or a model is
 * still running would crash the JVM instead of stopping cleanly.
 */
final class CtrlC implements AutoCloseable {
    /** How long the hook waits for the work to end after asking it to stop. */
    private static final long WAIT_SECONDS = 120;

    private final Thread hook;
    private final CountDownLatch ended = new CountDownLatch(1);

    private CtrlC(Runnable stop, Runnable afterwards) {
        this.hook = new Thread(() -> {
            stop.run();
            try {
                ended.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            afterwards.run();
        }, "emlab-ctrl-c");
    }

    /** On Ctrl-C: {@code stop}, then wait for the work to end. */
    static CtrlC on(Runnable stop) {
        return on(stop, () -> {});
    }

    /** On Ctrl-C: {@code stop}, wait for the work to end, then {@code afterwards} (e.g. say what was kept). */
    static CtrlC on(Runnable stop, Runnable afterwards) {
        CtrlC c = new CtrlC(stop, afterwards);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook is doing its job
        }
    }
}
