package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;

/**
 * A low-rank update {@code scale * dropout(x) A^T B^T} of one projection. A and B are stored
 * transposed so the activation stays the first operand.
 *
 * @param aT (in, r), PEFT's lora_A transposed
 * @param bT (r, out), PEFT's lora_B transposed
 * @param scale alpha / r, or alpha / sqrt(r) for rsLoRA
 * @param dropout probability of zeroing an input feature while training
 * @param training whether dropout applies
 */
public record LoraAdapter(NDArray aT, NDArray bT, double scale, double dropout, boolean training) {
    /** The same adapter for inference (no dropout). */
    public LoraAdapter forInference() {
        return new LoraAdapter(aT, bT, scale, dropout, false);
    }

    /** x (..., in) -> (..., out) */
    public NDArray delta(NDArray x) {
        NDArray in = x;
        if (dropout > 0 && training) {
            // Inverted dropout: the expected input is unchanged, so inference needs no rescaling.
            NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(dropout).toType(x.getDataType(), false);
            in = x.mul(keep).mul(Scalars.of(x.getManager(), 1 / (1 - dropout)));
        }
        return in.matMul(aT).matMul(bT).mul(Scalars.of(x.getManager(), scale));
    }

    public int rank() {
        return (int) aT.getShape().get(1);
    }
}
