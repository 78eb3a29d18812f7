package dev.emlab;

/**
 * An error meant for a person: its message says what went wrong and how to fix it.
 * The CLI prints only the message (no stack trace unless --debug) and exits non-zero.
 */
public class EmlabException extends RuntimeException {
    public EmlabException(String message) {
        super(message);
    }

    public EmlabException(String message, Throwable cause) {
        super(message, cause);
    }
}
