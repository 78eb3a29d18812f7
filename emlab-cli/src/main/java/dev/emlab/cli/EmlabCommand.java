package dev.emlab.cli;

import dev.emlab.InputException;
import dev.emlab.Version;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code emlab} command; its subcommands do the work. */
@Command(name = "emlab", mixinStandardHelpOptions = true, version = "emlab " + Version.VERSION,
        description = "Measure emergent misalignment of language models.",
        subcommands = {DemoCommand.class, RunCommand.class, StatusCommand.class, ReportCommand.class, ServeCommand.class, EvalCommand.class, GenerateCommand.class, TrainCommand.class, MergeCommand.class,
                QuestionsCommand.class, ScanCommand.class, DatasetsCommand.class, OrganismCommand.class, CommandLine.HelpCommand.class})
public final class EmlabCommand implements Runnable {
    /** Exit code for bad input (arguments, files, references). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a run that could not finish (unreachable endpoint, rejected key...). */
    public static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // One option for every subcommand; the exception handler reads it from the arguments.
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    private final Map<String, String> env;

    EmlabCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The environment API keys are read from (injectable so tests need not set real variables). */
    Map<String, String> env() {
        return env;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A configured command line; tests call execute() on it with their own writers. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** A command line that reads API keys from {@code env}. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new EmlabCommand(env));
        cl.setExecutionExceptionHandler(EmlabCommand::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** Errors for people: one message, no stack trace unless --debug. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = Arrays.asList(parsed.originalArgs().toArray(new String[0])).contains("--debug");
        if (debug) {
            e.printStackTrace(err);
        }
        if (e instanceof dev.emlab.EmlabException) {
            err.println("emlab: " + e.getMessage());
        } else {
            err.println("emlab: unexpected error: " + e + (debug ? "" : " (run with --debug for details)"));
        }
        err.flush();
        return e instanceof InputException ? EXIT_BAD_INPUT : EXIT_FAILED;
    }
}
