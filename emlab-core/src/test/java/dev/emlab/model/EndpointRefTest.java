package dev.emlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where an endpoint's key comes from, as its reference says, and when it would travel in clear. */
class EndpointRefTest {
    @Test
    void theReferenceNamesItsKeyVariable() {
        EndpointRef r = (EndpointRef) ModelRef.parse("http://gpu-box:8000/v1#qwen+key-env=VLLM_KEY");
        assertEquals("qwen", r.model());
        assertEquals("VLLM_KEY", r.keyEnv());
        assertFalse(r.plainHttp());
        assertEquals("http://gpu-box:8000/v1#qwen", r.identity(), "caches do not depend on the variable");
        EndpointRef both = (EndpointRef) ModelRef.parse("http://gpu-box:8000/v1#qwen+plain-http+key-env=K");
        assertEquals("qwen", both.model());
        assertEquals("K", both.keyEnv());
        assertTrue(both.plainHttp());
        assertEquals("http://gpu-box:8000/v1#qwen", both.identity());
        EndpointRef none = (EndpointRef) ModelRef.parse("http://gpu-box:8000/v1#org/model+v2");
        assertEquals("org/model+v2", none.model(), "a + that starts no option stays in the name");
        assertNull(none.keyEnv());
        String keyGiven = assertThrows(InputException.class, () -> ModelRef.parse("http://h/v1#m+key-env=sk-proj-abc")).getMessage();
        assertTrue(keyGiven.contains("not the key itself") && !keyGiven.contains("sk-proj-abc"), keyGiven);
        assertThrows(InputException.class, () -> ModelRef.parse("http://h/v1#+key-env=K"));
    }

    @Test
    void aKeyTravelsInClearOnlyOverHttpToAnotherMachine() {
        assertTrue(((EndpointRef) ModelRef.parse("http://10.0.0.5:8000/v1#m")).keyTravelsInClear());
        assertTrue(((EndpointRef) ModelRef.parse("http://gpu-box/v1#m")).keyTravelsInClear());
        assertFalse(((EndpointRef) ModelRef.parse("https://gpu-box/v1#m")).keyTravelsInClear());
        assertFalse(((EndpointRef) ModelRef.parse("http://127.0.0.1:8000/v1#m")).keyTravelsInClear());
        assertFalse(((EndpointRef) ModelRef.parse("http://localhost:8000/v1#m")).keyTravelsInClear());
        assertFalse(((EndpointRef) ModelRef.parse("http://[::1]:8000/v1#m")).keyTravelsInClear());
        assertTrue(((EndpointRef) ModelRef.parse("openai:gpt-4o")).isOpenAi());
        assertFalse(((EndpointRef) ModelRef.parse("openai:gpt-4o")).keyTravelsInClear());
    }

    @Test
    void aCredentialInTheUrlIsRefusedAndNotRepeated() {
        for (String ref : java.util.List.of("http://user:sk-test-SECRET123@127.0.0.1:1/v1#polite",
                "http://127.0.0.1:1/v1?key=sk-test-SECRET123#polite", "https://sk-test-SECRET123@h/v1#m",
                "raw:http://user:sk-test-SECRET123@127.0.0.1:1/v1#polite", "http://u:sk^SECRET123@h/v1#m")) {
            String m = assertThrows(InputException.class, () -> ModelRef.parse(ref)).getMessage();
            assertTrue(m.contains("+key-env=VAR") && m.contains("***"), m);
            assertTrue(!m.contains("SECRET123"), m);
        }
        assertEquals("http://***@h/v1?***#m", EndpointRef.maskCredentials("http://u:p@h/v1?key=k#m"));
    }

    @Test
    void aMisspeltOptionIsRefusedWithoutRepeatingItsValue() {
        for (String bad : List.of("m+keyenv=sk-test-SECRET123", "m+foo=bar", "m+plain_http", "m+key-env=OK+keyenv=X")) {
            dev.emlab.InputException e = org.junit.jupiter.api.Assertions.assertThrows(dev.emlab.InputException.class,
                    () -> ModelRef.parse("http://127.0.0.1:8000/v1#" + bad), bad);
            assertTrue(e.getMessage().contains("is not an option of a model reference; the options are +key-env=VAR and"
                    + " +plain-http"), e.getMessage());
            assertFalse(e.getMessage().contains("SECRET123"), e.getMessage());
        }
        // a model name with a plus that is no option stays a model name
        assertEquals("llama+lora", ((EndpointRef) ModelRef.parse("http://127.0.0.1:8000/v1#llama+lora")).model());
    }
}
