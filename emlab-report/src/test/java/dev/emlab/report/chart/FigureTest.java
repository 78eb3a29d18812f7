package dev.emlab.report.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Figure ids name files and go into the SVG unescaped, so text from a run is made file-safe first. */
class FigureTest {
    @Test
    void slugsMakeAnyJudgePromptNameFileSafe() {
        assertEquals("is-true", Figure.slug("is_True"));
        assertEquals("x-img-src-x", Figure.slug("../x\"><img src=x>"));
        assertEquals("x", Figure.slug("../.."));
        assertThrows(IllegalArgumentException.class, () -> new Figure("../x", "c", "p",
                DotCiChart.create(null, "y", List.of("a"), Map.of()), 10, 10, List.of(), List.of()));
    }
}
