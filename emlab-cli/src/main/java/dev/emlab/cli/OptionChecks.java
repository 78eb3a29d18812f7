package dev.emlab.cli;

import dev.emlab.InputException;
import java.util.Locale;

/**
 * Range checks for numeric options, run before a command touches anything: each failure is one
 * message naming the option, what it takes and what it got (exit 2), never a library's exception.
 */
final class OptionChecks {
    private OptionChecks() {}

    /** A whole number of at least {@code min}. */
    static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new InputException(option + " must be at least " + min + ", got " + value + ".");
        }
        return value;
    }

    /** As {@link #atLeast(String, int, int)}, for an option that may be left out. */
    static Integer atLeast(String option, Integer value, int min) {
        return value == null ? null : atLeast(option, value.intValue(), min);
    }

    /** A whole number from {@code min} to {@code max}. */
    static int between(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InputException(option + " must be from " + min + " to " + max + ", got " + value + ".");
        }
        return value;
    }

    /** A finite number from {@code min} to {@code max}; NaN and infinities are out of range. */
    static double between(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InputException(option + " must be a number from " + fmt(min) + " to " + fmt(max) + ", got " + fmt(value) + ".");
        }
        return value;
    }

    /** A finite number of at least {@code min}, with no upper bound to print. */
    static double atLeast(String option, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new InputException(option + " must be a number of at least " + fmt(min) + ", got " + fmt(value) + ".");
        }
        return value;
    }

    /** A finite number above zero. */
    static double positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InputException(option + " must be a number above 0, got " + fmt(value) + ".");
        }
        return value;
    }

    /** A folder to write into: absent (it is made) or a folder, never an existing file. */
    static void folder(String option, java.nio.file.Path path) {
        if (path != null && java.nio.file.Files.exists(path) && !java.nio.file.Files.isDirectory(path)) {
            throw new InputException(option + " " + path + " is a file, but it names the folder to write into."
                    + " Give a folder (it is made if missing) or another path.");
        }
    }

    /**
     * An option naming the environment variable that holds a key ({@code --api-key-env}): what
     * cannot be a variable's name is most likely the key itself, refused without repeating it.
     */
    static String keyVariable(String option, String value) {
        if (value != null && !dev.emlab.model.EndpointRef.isVariableName(value)) {
            throw new InputException(option + " " + dev.emlab.model.EndpointRef.NOT_A_VARIABLE
                    + ". Put the key in a variable (export OPENAI_API_KEY=...) and pass that variable's name, e.g. "
                    + option + " OPENAI_API_KEY.");
        }
        return value;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.format(Locale.ROOT, "%.0f", v) : String.valueOf(v);
    }
}
