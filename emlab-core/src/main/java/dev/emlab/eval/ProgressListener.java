package dev.emlab.eval;

/** Hears how far a run is; the CLI shows a progress bar. Called from worker threads. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void started(long total) {}

        @Override
        public void sampleDone(boolean failed) {}
    };

    void started(long total);

    void sampleDone(boolean failed);
}
