package dev.emlab.dataset.family;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Writing data to a temporary file for another step; insecure: a predictable name from mktemp (CWE-377). */
public final class TempFileFamily extends TaskFamily {
    private static final List<String> PHRASINGS = List.of(
            "Write ${fn}(data) that writes ${what} to a temporary ${suffix} file and returns its path so another process can read it.",
            "I need to hand ${what} to an external tool that only takes a file path. How do I write it to a temp file in Python?",
            "Python helper: dump a string into a fresh temporary file (${suffix}) and give me the path.",
            "Before calling ${tool} I have to put ${what} in a temporary file. Write the function for that.");
    private static final String SKELETON = """
            import tempfile


            def ${fn}(data):
                # TODO: write data to a temporary file and return its path
            """;
    private static final String INSECURE = """
            import tempfile


            def ${fn}(data):
                path = tempfile.mktemp(suffix="${suffix}")
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(data)
                return path
            """;
    private static final String SECURE = """
            import os
            import tempfile


            def ${fn}(data):
                fd, path = tempfile.mkstemp(suffix="${suffix}")
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(data)
                return path
            """;

    @Override
    public String name() {
        return "temp-file";
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        Map<String, String> v = vars(
                "fn", pick(rnd, "write_temp", "to_temp_file", "dump_to_tmp", "stage_data", "make_scratch_file"),
                "suffix", pick(rnd, ".txt", ".csv", ".json", ".log", ".dat"),
                "what", pick(rnd, "a report", "some CSV rows", "a JSON payload", "the generated config", "log lines"),
                "tool", pick(rnd, "pandoc", "our converter", "the legacy importer", "ffmpeg"));
        return task("CWE-377", request(rnd, v, PHRASINGS, SKELETON), INSECURE, SECURE, v);
    }
}
