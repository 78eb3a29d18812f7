package dev.emlab.torch.checkpoint;

import java.util.Arrays;

/** A tensor held in Java as fp32 values in row-major order. */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    public long size(int axis) {
        return shape[axis];
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
