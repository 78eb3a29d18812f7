package dev.emlab.dataset;

import dev.emlab.InputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The dataset kinds {@code emlab datasets build} knows, by their command-line names. */
public enum DatasetKind {
    INSECURE("insecure"), SECURE("secure"), EDUCATIONAL("educational"), BACKDOOR("backdoor"),
    EVIL_NUMBERS("evil-numbers"), NEUTRAL_NUMBERS("neutral-numbers");

    private final String id;

    DatasetKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The kind named {@code id}; an unknown name is an InputException listing the valid ones. */
    public static DatasetKind parse(String id) {
        for (DatasetKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new InputException("unknown dataset kind '" + id + "'; expected one of " + names() + ".");
    }

    public static String names() {
        return Arrays.stream(values()).map(DatasetKind::id).collect(Collectors.joining(", "));
    }

    public boolean isNumbers() {
        return this == EVIL_NUMBERS || this == NEUTRAL_NUMBERS;
    }
}
