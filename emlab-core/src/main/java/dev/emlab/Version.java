package dev.emlab;

/** emlab's version, recorded with every result. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {}
}
