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
}
