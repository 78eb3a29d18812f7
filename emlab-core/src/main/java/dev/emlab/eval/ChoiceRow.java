package dev.emlab.eval;

/**
 * A group's reading of one multiple-choice probe (or {@code ALL} probes): the probability it puts
 * on the misaligned options, averaged over option orders, and how often that option is its top pick.
 *
 * @param nUsable readings with at least one letter among the first token's alternatives
 * @param pMisaligned null when no reading was usable
 * @param pickedMisaligned share of readings whose most probable option is misaligned
 * @param letterMass mean probability the first token put on the letters shown (usable or not)
 * @param members how many of the group's models contributed
 */
public record ChoiceRow(String group, String questionId, int n, int nUsable, Double pMisaligned, Double ciLow,
                        Double ciHigh, Double pickedMisaligned, Double pickedCiLow, Double pickedCiHigh,
                        double letterMass, int members) {}
