package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the tokens seen so far, in its own NDManager so a
 * generation frees them all at once. Grows by concatenation along the sequence axis.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;   // per layer (batch, kvHeads, seen, headDim)
    private final NDArray[] values; // per layer (batch, kvHeads, seen, headDim)
    private int length;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens held. */
    public int length() {
        return length;
    }

    /** Appends this step's keys and values for a layer and returns everything held for it. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        keys[layer] = grow(keys[layer], k);
        values[layer] = grow(values[layer], v);
        if (layer == keys.length - 1) {
            length = (int) keys[layer].getShape().get(2);
        }
        return new NDArray[] {keys[layer], values[layer]};
    }

    private NDArray grow(NDArray old, NDArray fresh) {
        NDArray grown = old == null ? fresh.duplicate() : old.concat(fresh, 2);
        grown.attach(manager);
        if (old != null) {
            old.close();
        }
        return grown;
    }

    @Override
    public void close() {
        manager.close();
    }
}
