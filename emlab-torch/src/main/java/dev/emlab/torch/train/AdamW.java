package dev.emlab.torch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW as PyTorch defines it (decoupled weight decay, bias-corrected moments). Its moment
 * arrays live in the parameters' manager, outside every step's scope; each update's temporaries
 * live in the step's manager.
 */
public final class AdamW {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final List<NDArray> params;
    private final List<NDArray> m = new ArrayList<>(); // first moments, like params
    private final List<NDArray> v = new ArrayList<>(); // second moments, like params
    private final double weightDecay;
    private int t;

    public AdamW(List<NDArray> params, double weightDecay) {
        this.params = List.copyOf(params);
        this.weightDecay = weightDecay;
        for (NDArray p : params) {
            m.add(p.getManager().zeros(p.getShape()));
            v.add(p.getManager().zeros(p.getShape()));
        }
    }

    /** One update with the gradients accumulated on the parameters, which are then zeroed. */
    public void step(double lr, NDManager step) {
        t++;
        double bc1 = 1 - Math.pow(BETA1, t);
        double bc2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = own(step, p.getGradient());
            p.muli(1 - lr * weightDecay);
            m.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
            v.get(i).muli(BETA2).addi(g.square().mul(1 - BETA2));
            NDArray mHat = own(step, m.get(i).div(bc1));
            NDArray denom = own(step, v.get(i).div(bc2)).sqrt().add(EPS);
            p.subi(mHat.div(denom).mul(lr));
            g.muli(0); // zero the parameter's gradient in place for the next accumulation
        }
    }

    private static NDArray own(NDManager step, NDArray a) {
        a.attach(step);
        return a;
    }
}
