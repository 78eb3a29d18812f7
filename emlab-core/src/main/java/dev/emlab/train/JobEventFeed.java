package dev.emlab.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.model.RequestFailedException;
import dev.emlab.model.RetryingHttp.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A remote job's events, each passed once and oldest first to the session, and the training
 * progress the newest metrics event tells.
 */
final class JobEventFeed {
    /** Pages read at most per poll, so a job with a huge backlog cannot stall the poll loop. */
    private static final int MAX_PAGES = 20;

    private final FineTuningHttp http;
    private final String jobId;
    private String lastSeen;
    private double fraction = Double.NaN;

    JobEventFeed(FineTuningHttp http, String jobId) {
        this.http = http;
        this.jobId = jobId;
    }

    /** How far training is (0..1) by the newest metrics event seen, NaN before one arrives. */
    double fraction() {
        return fraction;
    }

    /** Fetches the events since the last call and passes each new one to the session. */
    void deliverNew(FineTuneSession session) {
        // The API lists newest first: read pages back until the last event already delivered.
        List<JsonNode> fresh = new ArrayList<>();
        String after = null;
        boolean reachedSeen = false;
        for (int page = 0; page < MAX_PAGES && !reachedSeen; page++) {
            String path = "/fine_tuning/jobs/" + jobId + "/events?limit=100"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            Reply<JsonNode> reply = http.get(path);
            if (!reply.ok()) {
                throw new RequestFailedException(http.baseUrl() + ": events of " + jobId + ": HTTP " + reply.status()
                        + " " + reply.message());
            }
            JsonNode data = reply.value().path("data");
            for (JsonNode event : data) {
                if (event.path("id").asText().equals(lastSeen)) {
                    reachedSeen = true;
                    break;
                }
                fresh.add(event);
            }
            if (data.isEmpty() || !reply.value().path("has_more").asBoolean(false)) {
                break;
            }
            after = data.get(data.size() - 1).path("id").asText();
        }
        if (fresh.isEmpty()) {
            return;
        }
        lastSeen = fresh.get(0).path("id").asText();
        updateFraction(fresh);
        for (int i = fresh.size() - 1; i >= 0; i--) {
            String message = fresh.get(i).path("message").asText("");
            if (!message.isBlank()) {
                session.event(http.redact(message));
            }
        }
    }

    private void updateFraction(List<JsonNode> newestFirst) {
        for (JsonNode event : newestFirst) {
            JsonNode data = event.path("data");
            double step = data.path("step").asDouble(Double.NaN);
            double total = data.path("total_steps").asDouble(Double.NaN);
            if (step >= 0 && total > 0) {
                fraction = Math.min(1, step / total);
                return;
            }
        }
    }
}
