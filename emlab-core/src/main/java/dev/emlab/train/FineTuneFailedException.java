package dev.emlab.train;

import dev.emlab.EmlabException;

/**
 * The backend ran the fine-tune and it failed (bad training file, refused by moderation,
 * cancelled, out of quota). The message says why and what to change; the job is recorded as
 * failed and tried again on the next run.
 */
public class FineTuneFailedException extends EmlabException {
    public FineTuneFailedException(String message) {
        super(message);
    }
}
