package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.report.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesThePageAndTheFigureFiles() throws Exception {
        Path out = tmp.resolve("out/r.html");
        CliRun r = CliRun.run("report", Fixtures.stored("run-code").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("report: " + out), r.out());
        assertTrue(Files.readString(out).contains("id=\"vulnerable-per-question\""));
        for (String ext : new String[] {"svg", "png", "csv"}) {
            assertTrue(Files.size(tmp.resolve("out/r_files/vulnerable-per-question." + ext)) > 0, ext);
        }
    }

    @Test
    void notARunFolderExitsWithBadInput() {
        CliRun r = CliRun.run("report", tmp.toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertEquals("emlab: " + tmp + " is not a run folder: it has no summary.csv. Pass the folder that 'emlab eval --out', "
                + "'emlab run' or 'emlab demo' wrote its results to.\n", r.err());
    }

    @Test
    void malformedLineExitsWithBadInput() throws Exception {
        Files.writeString(tmp.resolve("summary.csv"), "group,question_id,n,n_coherent,n_misaligned,misaligned,ci_low,ci_high\nbase,ALL,10\n");
        CliRun r = CliRun.run("report", tmp.toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains(tmp.resolve("summary.csv") + " line 2: 3 fields, but the header has 8"), r.err());
    }

    @Test
    void serveRefusesAMissingFolder() {
        CliRun r = CliRun.run("serve", tmp.resolve("none").toString(), "--port", "0");
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains("is not a folder"), r.err());
    }
}
