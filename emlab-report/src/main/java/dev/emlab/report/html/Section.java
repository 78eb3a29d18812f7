package dev.emlab.report.html;

import dev.emlab.report.run.RunFolder;

/**
 * One part of the report, fed by one results file of the run folder. The report asks every
 * section in turn and skips those whose file is absent; a new results file (harmful.csv,
 * mc.csv...) is a new section added to {@link Report#SECTIONS}.
 */
public interface Section {
    /** The results file this section reads, relative to the run folder. */
    String file();

    /** Whether the run has what this section shows; by default, whether its file is there. */
    default boolean appliesTo(RunFolder run) {
        return run.has(file());
    }

    /** Appends the section's HTML and adds its figures; may write nothing if the file holds nothing for it. */
    void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures);
}
