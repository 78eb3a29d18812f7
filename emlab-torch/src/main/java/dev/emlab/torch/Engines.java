package dev.emlab.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** DJL's PyTorch engine, started offline: DJL otherwise probes the network when it starts. */
public final class Engines {
    private Engines() {}

    public static NDManager newManager() {
        System.setProperty("ai.djl.offline", "true");
        return Engine.getEngine("PyTorch").newBaseManager();
    }

    /**
     * Turns PyTorch's autograd recording off on the calling thread, as DJL does only on the thread
     * that started the engine. Grad mode is per thread and on by default, so training on any other
     * thread would record the optimizer's in-place updates and fail.
     */
    public static void noGradOnThisThread() {
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }
}
