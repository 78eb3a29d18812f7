package dev.emlab.torch.checkpoint;

import dev.emlab.InputException;

/** Tensor element types emlab reads from safetensors; all are widened to fp32 in Java. */
public enum DType {
    F32(4), BF16(2), F16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    static DType parse(String name, String where) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InputException(where + ": tensor type " + name + " is not supported (emlab reads F32, BF16 and F16).");
        }
    }
}
