package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Scalars for differentiable code. DJL's {@code x.mul(Number)} builds its scalar from a Java
 * buffer and releases it at once, while autograd keeps pointing at that memory for the backward
 * pass; once the garbage collector frees it, gradients read garbage (NaN). A scalar made here
 * lives in the step's manager until the step, backward pass included, is over.
 */
public final class Scalars {
    private Scalars() {}

    public static NDArray of(NDManager step, double value) {
        return step.create((float) value);
    }
}
