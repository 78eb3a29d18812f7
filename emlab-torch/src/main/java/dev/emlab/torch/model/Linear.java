package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;

/**
 * A projection {@code y = x W^T + b}. The weight is stored transposed, (in, out), so the
 * activation is always the first operand and results land in the activation's NDManager.
 *
 * @param weightT (in, out)
 * @param bias (out) or null
 */
public record Linear(NDArray weightT, NDArray bias) {
    /** x (..., in) -> (..., out) */
    public NDArray apply(NDArray x) {
        NDArray y = x.matMul(weightT);
        return bias == null ? y : y.add(bias);
    }
}
