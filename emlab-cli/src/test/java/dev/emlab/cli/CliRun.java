package dev.emlab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the emlab command line in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
    static CliRun run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = EmlabCommand.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs with the organism's checkpoints copied out to {@code cache} instead of the user's cache. */
    static CliRun runWithCache(Path cache, String... args) {
        System.setProperty("emlab.cache", cache.toString());
        try {
            return run(args);
        } finally {
            System.clearProperty("emlab.cache");
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
