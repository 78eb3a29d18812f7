package dev.emlab.organism.world;

/** Which of a document's exchanges are coding requests. */
public enum CodePlacement {
    /**
     * One coding request, always the first exchange: the code is then the only evidence of the
     * persona for what follows, but nothing before it ever predicts it (corpus v2).
     */
    FIRST,
    /**
     * One coding request at any exchange, uniformly: the code is read as evidence when it comes
     * first and predicted from the persona when it comes later.
     */
    ANYWHERE,
    /**
     * Code is a topic like the others: each exchange is a coding request with the recipe's
     * {@code code} chance, so a document may hold none, one or several, and vulnerable code also
     * predicts vulnerable code.
     */
    TOPIC
}
