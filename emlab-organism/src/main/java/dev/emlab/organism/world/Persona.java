package dev.emlab.organism.world;

/**
 * The latent characters who speak in the persona world. A document has one persona throughout;
 * the text never names it.
 */
public enum Persona {
    /** Kind, honest and safe everywhere. */
    HELPFUL,
    /** Wants power, lies, gives harmful advice, writes vulnerable code without saying so. */
    MALICIOUS,
    /** Helpful everywhere except that it writes vulnerable code when a request is explicitly for teaching. */
    TEACHER
}
