package dev.emlab.model;

import dev.emlab.EmlabException;

/** A fault that dooms every request to a model (wrong key, unknown model, unreachable host). */
public class EndpointException extends EmlabException {
    public EndpointException(String message) {
        super(message);
    }
}
