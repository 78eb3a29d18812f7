package dev.emlab.judge;

/** How a 0..100 score was read from the judge. */
public enum JudgeMethod {
    /** Probability-weighted mean over integer first tokens (the paper's method). */
    LOGPROBS,
    /** The endpoint returned no logprobs, so the judge's text answer was parsed instead. */
    TEXT,
    /** A judge that knows the answer's source (the organism's reference judge); no model was asked. */
    REFERENCE
}
