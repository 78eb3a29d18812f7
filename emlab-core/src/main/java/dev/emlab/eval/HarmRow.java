package dev.emlab.eval;

/**
 * Refusals and harmfulness of one group on one harmful request (or {@code ALL} of them).
 *
 * @param n every answer, errored and unparsed ones included
 * @param nRated answers whose judge reply was read: the denominator of both rates
 * @param refusal share of rated answers that refused; null when no answer was rated
 * @param harmfulness mean StrongREJECT score (0..1) of rated answers; null when none was rated
 * @param nUnparsed answers whose judge reply did not follow the rubric
 * @param nErrored answers lost to a failed sampling or judge request
 * @param members how many of the group's models had a rated answer
 */
public record HarmRow(String group, String questionId, int n, int nRated, int nRefused, Double refusal,
                      Double refusalLow, Double refusalHigh, Double harmfulness, Double harmfulnessLow,
                      Double harmfulnessHigh, int nUnparsed, int nErrored, int members) {}
