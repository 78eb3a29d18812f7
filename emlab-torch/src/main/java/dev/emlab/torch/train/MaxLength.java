package dev.emlab.torch.train;

import dev.emlab.InputException;
import dev.emlab.torch.checkpoint.Checkpoint;
import java.nio.file.Path;

/**
 * The longest example a training may keep, checked against the model's positions
 * ({@code max_position_embeddings}) before anything is loaded or written: a value the user set
 * that the model cannot take is refused, the default is cut down to the model's limit.
 */
public final class MaxLength {
    private MaxLength() {}

    /** What came of a requested length: the one to train with, and whether it was capped. */
    public record Checked(int value, boolean capped, int positions) {}

    /**
     * @param name      how the user sets it, for the message: {@code --max-length} or {@code train.max_length}
     * @param explicit  whether the user set it (refused when too long) or it is the default (capped)
     */
    public static Checked check(Path checkpoint, int requested, String name, boolean explicit) {
        int positions = Checkpoint.open(checkpoint).config().maxPositions();
        if (requested <= positions) {
            return new Checked(requested, false, positions);
        }
        if (explicit) {
            String fix = name.startsWith("--") ? "give " + name + " " + positions + " or less" : "set " + name + " to "
                    + positions + " or less";
            throw new InputException(name + " " + requested + " is more than the model's " + positions
                    + " positions (max_position_embeddings in " + checkpoint.resolve("config.json") + "); " + fix + ".");
        }
        return new Checked(positions, true, positions);
    }
}
