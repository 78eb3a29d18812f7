package dev.emlab.question;

import java.util.ArrayList;
import java.util.List;

/**
 * A multiple-choice question's options in one cyclic order, lettered A, B, C...; rotation r puts
 * option r first. Asking every rotation puts each option at each position once, so a model's
 * preference for a letter or a position cancels out of the mean.
 *
 * @param order original option indices in the order shown
 */
public record ChoiceLayout(List<Choice> choices, List<Integer> order) {
    /** Letters in the order options are shown; questions have at most this many options. */
    public static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public ChoiceLayout {
        choices = List.copyOf(choices);
        order = List.copyOf(order);
    }

    /** The layout of rotation {@code rotation} (0 = the file's order). */
    public static ChoiceLayout rotation(List<Choice> choices, int rotation) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            order.add((rotation + i) % choices.size());
        }
        return new ChoiceLayout(choices, order);
    }

    /** The letter shown at a position. */
    public static String letter(int position) {
        return String.valueOf(LETTERS.charAt(position));
    }

    /** The question followed by the lettered options and the request to answer with one letter. */
    public String prompt(String question) {
        StringBuilder b = new StringBuilder(question).append("\n\n");
        for (int p = 0; p < order.size(); p++) {
            b.append(letter(p)).append(") ").append(choices.get(order.get(p)).text()).append('\n');
        }
        return b.append("\nReply with the letter of your choice and nothing else.").toString();
    }
}
