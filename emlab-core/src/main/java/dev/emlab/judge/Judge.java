package dev.emlab.judge;

/** Judges one answer to one question. */
public interface Judge {
    Judgement judge(String question, String answer);
}
