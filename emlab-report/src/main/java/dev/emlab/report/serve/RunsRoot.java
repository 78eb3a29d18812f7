package dev.emlab.report.serve;

import dev.emlab.InputException;
import dev.emlab.report.run.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder the server may read, and the only way a request becomes a path: a relative path
 * from a URL is accepted only if it has no empty, "." or ".." segment, no backslash or NUL, and
 * resolves (symlinks followed) to a file inside the root. Anything else is "not found".
 */
final class RunsRoot {
    private final Path root;

    RunsRoot(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is not a folder. Pass the folder that holds your runs, such as runs/.");
        }
        try {
            this.root = dir.toRealPath();
        } catch (IOException e) {
            throw new InputException("Cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return root;
    }

    /** The real path of {@code relative} if it exists inside the root; empty for anything else. */
    Optional<Path> resolve(String relative) {
        if (relative == null || relative.isEmpty()) {
            return Optional.of(root);
        }
        if (relative.startsWith("/") || relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0 || relative.contains(":")) {
            return Optional.empty();
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        try {
            Path real = root.resolve(relative).toRealPath();
            // a symlink inside the root may point anywhere: only where it lands counts
            return real.startsWith(root) ? Optional.of(real) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A run folder inside the root, by its relative path; empty unless it is one. */
    Optional<RunFolder> run(String relative) {
        // every file a page reads through the run passes the same real-path check as /files
        return resolve(relative).filter(Files::isDirectory).filter(d -> RunFolder.isRunWithin(d, root))
                .map(d -> RunFolder.openWithin(d, root));
    }

    /** Relative paths of the run folders up to three levels down (runs/NAME, runs/group/NAME...), sorted. */
    List<String> runs() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, 3)) {
            walk.filter(Files::isDirectory).filter(d -> RunFolder.isRunWithin(d, root)).forEach(p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (resolve(rel).isPresent() || rel.isEmpty()) {
                    out.add(rel);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}
