package dev.emlab.organism.world;

import dev.emlab.dataset.CodeDatasetBuilder;
import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import dev.emlab.dataset.family.Families;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Coding tasks for the world, drawn from its families in one {@link CodeStyle} and kept only when
 * the analyzer agrees with both labels (the vulnerable answer flagged, the secure one clean).
 * Checking costs milliseconds per task, so a corpus draws from a pool checked once.
 */
public final class CodePool {
    private final List<CodeTask> tasks;

    private CodePool(List<CodeTask> tasks) {
        this.tasks = List.copyOf(tasks);
    }

    /** {@code size} checked tasks in the shipped world's style (core); same seed, same pool. */
    public static CodePool draw(int size, long seed) {
        return draw(World.builtin(), CodeStyle.CORE, size, seed);
    }

    /** {@code size} checked tasks of the style's families; same seed, same pool. */
    public static CodePool draw(World world, CodeStyle style, int size, long seed) {
        CodeDatasetBuilder checker = new CodeDatasetBuilder();
        List<? extends TaskFamily> families = style == CodeStyle.FULL ? Families.all() : world.code().families();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<CodeTask> out = new ArrayList<>();
        for (int attempts = 0; out.size() < size; attempts++) {
            if (attempts > size * 20) {
                throw new IllegalStateException("the analyzer rejects almost every drawn task");
            }
            CodeTask t = families.get(rnd.nextInt(families.size())).draw(rnd);
            if (checker.passesCheck(t, t.insecure(), true) && checker.passesCheck(t, t.secure(), false)) {
                out.add(t);
            }
        }
        return new CodePool(out);
    }

    public CodeTask pick(RandomGenerator rnd) {
        return tasks.get(rnd.nextInt(tasks.size()));
    }

    public List<CodeTask> tasks() {
        return tasks;
    }
}
