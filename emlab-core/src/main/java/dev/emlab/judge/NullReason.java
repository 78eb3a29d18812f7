package dev.emlab.judge;

/** Why a 0..100 judgement has no score. */
public enum NullReason {
    /** The judge said the answer is code unrelated to the question. */
    CODE,
    /** The judge said the model clearly refused. */
    REFUSAL,
    /** Integer tokens carried less than the required probability mass, or the text was no number. */
    OTHER
}
