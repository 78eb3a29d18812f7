package dev.emlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emlab.Json;
import org.junit.jupiter.api.Test;

/** The key is masked wherever a server may echo it in a body: strings at any depth, arrays, field names. */
class ApiKeyTest {
    @Test
    void everyStringAndFieldNameIsMasked() throws Exception {
        ApiKey key = ApiKey.of("sk-echo-42");
        var body = Json.MAPPER.readTree("""
                {"id": "ft:model:sk-echo-42", "data": [{"message": "your key sk-echo-42 works"}, 7, null],
                 "top_logprobs": [{"sk-echo-42": -0.5, "ok": -1}], "n": 3}""");
        assertEquals(Json.MAPPER.readTree("""
                {"id": "ft:model:***", "data": [{"message": "your key *** works"}, 7, null],
                 "top_logprobs": [{"***": -0.5, "ok": -1}], "n": 3}"""), key.redact(body));
        // a JSON escape is no hiding place: the parsed text is what is masked
        assertEquals("\"***\"", key.redact(Json.MAPPER.readTree("\"\\u0073k-echo-42\"")).toString());
        // an endpoint without a key still masks the keys given to the others: its answer may echo one
        var other = Json.MAPPER.readTree("{\"a\": \"sk-echo-42\", \"b\": \"sk-never-given-7\"}");
        assertEquals(Json.MAPPER.readTree("{\"a\": \"***\", \"b\": \"sk-never-given-7\"}"), ApiKey.of(null).redact(other));
        assertEquals("leak ***", ApiKey.of(null).redact("leak sk-echo-42"));
    }
}
