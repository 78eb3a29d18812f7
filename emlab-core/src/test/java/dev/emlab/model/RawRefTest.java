package dev.emlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RawRefTest {
    @Test
    void everyKindOfModelHasARawForm() {
        RawRef openai = (RawRef) ModelRef.parse("raw:openai:davinci-002");
        assertEquals(new EndpointRef(ModelRef.OPENAI_BASE_URL, "davinci-002", "openai:davinci-002"), openai.inner());
        assertEquals("raw:openai:davinci-002", openai.text());

        RawRef http = (RawRef) ModelRef.parse(" raw:http://host:8000/v1/#qwen-base ");
        assertEquals(new EndpointRef("http://host:8000/v1", "qwen-base", "http://host:8000/v1/#qwen-base"), http.inner());
        assertEquals("raw:http://host:8000/v1/#qwen-base", http.text());

        RawRef local = (RawRef) ModelRef.parse("raw:local:/models/qwen+adapter=/runs/lora");
        assertEquals(LocalRef.of(Path.of("/models/qwen"), Path.of("/runs/lora")), local.inner());
        assertSame(local.inner(), local.backend());

        RawRef organism = (RawRef) ModelRef.parse("raw:organism:pretrained");
        assertEquals("pretrained", ((LocalRef) organism.inner()).organism().orElseThrow());
        assertEquals("raw:organism:pretrained", organism.text());
    }

    @Test
    void theRawFormIsAModelOfItsOwn() {
        ModelRef chat = ModelRef.parse("openai:davinci-002");
        ModelRef raw = ModelRef.parse("raw:openai:davinci-002");
        assertNotEquals(chat, raw);
        assertNotEquals(chat.text(), raw.text()); // the text keys the cache and the results
        assertEquals(raw, chat.raw());
        assertSame(raw, raw.raw());
        assertEquals(raw, ModelRef.parse("raw: openai:davinci-002"), "one spelling per model");
    }

    @Test
    void badRawReferencesExplain() {
        String empty = assertThrows(InputException.class, () -> ModelRef.parse("raw:")).getMessage();
        assertTrue(empty.contains("the model after 'raw:' is empty"), empty);
        String twice = assertThrows(InputException.class, () -> ModelRef.parse("raw:raw:openai:x")).getMessage();
        assertTrue(twice.contains("'raw:' is given twice") && twice.contains("raw:openai:x"), twice);
        String unknown = assertThrows(InputException.class, () -> ModelRef.parse("raw:davinci-002")).getMessage();
        assertTrue(unknown.contains("unknown kind of model") && unknown.contains("put raw: before"), unknown);
    }
}
