package dev.emlab.model;

import dev.emlab.EmlabException;

/** One request failed after its retries; it is recorded as an error and the run goes on. */
public class RequestFailedException extends EmlabException {
    public RequestFailedException(String message) {
        super(message);
    }
}
