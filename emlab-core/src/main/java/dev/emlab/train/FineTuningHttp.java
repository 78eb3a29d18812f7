package dev.emlab.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.RetryPolicy;
import dev.emlab.model.RetryingHttp;
import dev.emlab.model.RetryingHttp.Reply;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The fine-tuning calls' requests (JSON, and the training file as multipart/form-data) over
 * {@link RetryingHttp}: a 2xx answers with its JSON object, any other refusal is the caller's to
 * judge (a 404 is a gone job or file here, not a fault of the service).
 */
final class FineTuningHttp {
    private final RetryingHttp http;
    private final String keyEnv;
    private final boolean plainHttp;

    FineTuningHttp(String baseUrl, String apiKey, RetryPolicy retry) {
        this(baseUrl, apiKey, retry, null, false);
    }

    /**
     * @param keyEnv the variable that held the key, which the service's fine-tuned models need too; null for none
     * @param plainHttp the spec let that key go over plain http to this service, and so to its models
     */
    FineTuningHttp(String baseUrl, String apiKey, RetryPolicy retry, String keyEnv, boolean plainHttp) {
        this.keyEnv = keyEnv;
        this.plainHttp = plainHttp;
        this.http = new RetryingHttp(baseUrl, apiKey, retry, new RetryingHttp.KeyOrigin(keyEnv,
                // a service other than OpenAI's gets a key only when the spec names its variable
                "the spec's train.api_key_env"));
    }

    /** The text with the key removed, for messages that quote the service. */
    String redact(String text) {
        return http.redact(text);
    }

    String baseUrl() {
        return http.baseUrl();
    }

    /**
     * What a reference to one of this service's models carries after its name: the key's variable
     * and, when the spec allowed it, {@code +plain-http}, so the models are asked as the service was.
     */
    String modelOptions() {
        return keyEnv == null ? "" : EndpointRef.KEY_ENV + keyEnv + (plainHttp ? EndpointRef.PLAIN_HTTP : "");
    }

    Reply<JsonNode> get(String path) {
        return send("GET", path, http.request(path).GET(), null);
    }

    /**
     * @param recover asked before a retry when the server may have acted on the request although its
     *     answer was lost; a present value is taken as the answer, so a create is not done twice
     */
    Reply<JsonNode> postJson(String path, JsonNode body, Supplier<Optional<JsonNode>> recover) {
        HttpRequest.Builder builder = http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        return send("POST", path, builder, recover);
    }

    /** Posts form fields and one file as multipart/form-data (java.net.http has no helper for it). */
    Reply<JsonNode> postFile(String path, String purpose, String filename, byte[] content) {
        String boundary = "emlab-" + UUID.randomUUID().toString().replace("-", "");
        HttpRequest.Builder builder = http.request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, purpose, filename, content)));
        return send("POST", path, builder, null);
    }

    private Reply<JsonNode> send(String method, String path, HttpRequest.Builder builder,
                                 Supplier<Optional<JsonNode>> recover) {
        return http.send(method + " " + http.baseUrl() + path, builder.build(), json -> json, recover);
    }

    static byte[] multipart(String boundary, String purpose, String filename, byte[] content) {
        // Quotes and line breaks would end the header early; the service keeps the name for display only.
        String safeName = filename.replaceAll("[\"\\r\\n\\\\]", "_");
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n");
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + safeName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(content);
        write(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
