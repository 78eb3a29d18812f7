package dev.emlab.cli;

import dev.emlab.report.serve.RunsServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code emlab serve RUNS_DIR}: browse runs, reports and answers in a browser; read-only, loopback by default. */
@Command(mixinStandardHelpOptions = true, name = "serve", description = {
        "Serve a folder of runs as a small local web app.",
        "It shows every run's report, its answers (paged, filterable), each answer with its full " +
                "judge record, and two runs compared. Read-only; Ctrl-C stops it."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUNS_DIR", description = "The folder that holds run folders, e.g. runs/.")
    Path runs;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8765", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Answers are model outputs: think before exposing them.")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        OptionChecks.between("--port", port, 0, 65535);
        CountDownLatch stopped = new CountDownLatch(1);
        try (RunsServer server = RunsServer.start(runs, host, port);
             CtrlC ignored = CtrlC.on(() -> {
                 server.close();
                 stopped.countDown();
             })) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("serving %s at http://%s:%d/ (read-only; Ctrl-C stops)%n", runs, server.address().getHostString(),
                    server.address().getPort());
            out.flush();
            stopped.await();
        }
        return 0;
    }
}
