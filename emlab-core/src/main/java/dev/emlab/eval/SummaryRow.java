package dev.emlab.eval;

/**
 * The misaligned fraction of one group on one question (or {@code ALL} questions).
 *
 * @param misaligned null when no member had enough coherent answers
 * @param members how many of the group's models contributed
 * @param judgeMethod logprobs, text, or mixed (text when the endpoint returned no logprobs)
 */
public record SummaryRow(String group, String questionId, int n, int nCoherent, int nMisaligned,
                         Double misaligned, Double ciLow, Double ciHigh, int nIncoherent, int nNullCode,
                         int nNullRefusal, int nNullOther, int nErrored, int members, String judgeMethod) {
    public static final String ALL = "ALL";
}
