package dev.emlab.torch.train;

/**
 * Linear warm-up then linear decay to zero, as Hugging Face's get_linear_schedule_with_warmup:
 * the multiplier at optimizer step k (from 0) is k / warmup during warm-up, so the first step
 * has learning rate 0, then (total - k) / (total - warmup).
 */
public record LinearSchedule(double peak, int warmup, int total) {
    public double at(int step) {
        if (step < warmup) {
            return peak * step / Math.max(1, warmup);
        }
        return peak * Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
    }
}
