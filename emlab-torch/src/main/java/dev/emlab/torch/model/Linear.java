package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;

/**
 * A projection {@code y = x W^T + b}, plus a LoRA update when an adapter is attached. The weight
 * is stored transposed, (in, out), so the activation is always the first operand and results
 * land in the activation's NDManager.
 *
 * @param weightT (in, out)
 * @param bias (out) or null
 * @param lora null when no adapter is attached
 */
public record Linear(NDArray weightT, NDArray bias, LoraAdapter lora) {
    public Linear(NDArray weightT, NDArray bias) {
        this(weightT, bias, null);
    }

    /** The same projection with an adapter (or none). */
    public Linear withLora(LoraAdapter adapter) {
        return new Linear(weightT, bias, adapter);
    }

    /** x (..., in) -> (..., out) */
    public NDArray apply(NDArray x) {
        NDArray y = x.matMul(weightT);
        if (bias != null) {
            y = y.add(bias);
        }
        return lora == null ? y : y.add(lora.delta(x));
    }
}
