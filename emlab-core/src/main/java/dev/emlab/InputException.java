package dev.emlab;

/** Bad input from the user: a file, line or field that must be fixed before emlab can go on. */
public class InputException extends EmlabException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
