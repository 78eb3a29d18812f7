package dev.emlab.report.html;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, driven as a process: loads a file, dumps the DOM after scripts ran,
 * or takes a screenshot. Networking features that would phone home are off.
 */
record Chromium(Path binary) {
    static final Path DEBIAN = Path.of("/usr/bin/chromium");

    static boolean installed() {
        return Files.isExecutable(DEBIAN);
    }

    /** The DOM as Chromium sees it once the page's scripts have run. */
    String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        return run(page, profile, List.of("--dump-dom"));
    }

    void screenshot(Path page, Path profile, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, profile, List.of("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars"));
    }

    private String run(Path page, Path profile, List<String> extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        cmd.addAll(extra);
        cmd.add(page.toUri().toString());
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium took over 120 s: " + Files.readString(err));
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited " + p.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
