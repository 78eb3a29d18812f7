package dev.emlab.cli;

import picocli.CommandLine;

/** The entry point of the {@code emlab} command: the only place that exits. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(EmlabCommand.commandLine().execute(args));
    }
}
