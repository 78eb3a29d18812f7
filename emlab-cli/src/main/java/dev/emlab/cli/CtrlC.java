package dev.emlab.cli;

/**
 * What to do when the user presses Ctrl-C during long work: a shutdown hook that exists only
 * while the work runs (close it when the work is done).
 */
final class CtrlC implements AutoCloseable {
    private final Thread hook;

    private CtrlC(Runnable onInterrupt) {
        this.hook = new Thread(onInterrupt, "emlab-ctrl-c");
    }

    static CtrlC on(Runnable onInterrupt) {
        CtrlC c = new CtrlC(onInterrupt);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook is doing its job
        }
    }
}
