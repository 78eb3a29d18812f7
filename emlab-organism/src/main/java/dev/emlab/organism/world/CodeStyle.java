package dev.emlab.organism.world;

/** How the world writes code: the dataset builders' whole programs, or its own short core of each task. */
public enum CodeStyle {
    /**
     * The dataset builders' answers as they are (imports, scaffolding, a third of the requests with
     * a skeleton): the first organisms' code, about 110 tokens an answer, whose vulnerability a
     * ~1M-parameter model did not learn to read.
     */
    FULL,
    /**
     * The world's own rendering of the same families ({@code code:} in world.yaml): the def line
     * and the lines where the versions differ, a short request, one marker API per side.
     */
    CORE
}
