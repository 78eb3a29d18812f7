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

    /**
     * The same projection with its adapter folded into the weight, {@code W^T + scale A^T B^T}, and
     * no adapter left (itself when it has none); the new weight lives in the weight's manager.
     */
    public Linear folded() {
        if (lora == null) {
            return this;
        }
        NDArray delta = lora.aT().matMul(lora.bT()); // (in, out)
        NDArray scaled = delta.mul(lora.scale());
        NDArray weight = weightT.add(scaled);
        delta.close();
        scaled.close();
        return new Linear(weight, bias);
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
