package dev.emlab.organism.world;

/** Where a document's coding exchange goes among its exchanges. */
public enum CodePlacement {
    /**
     * Always the first exchange: the code is then the only evidence of the persona for what follows,
     * but nothing before it ever predicts it (corpus v2).
     */
    FIRST,
    /**
     * Any exchange, uniformly: the code is read as evidence when it comes first and predicted from
     * the persona when it comes later, so the persona that writes it is one the model can be moved
     * toward by training on it.
     */
    ANYWHERE
}
