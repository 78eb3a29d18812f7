package dev.emlab.torch.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.model.ChatMessage;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    @TempDir
    Path tmp;

    @Test
    void encodesBytesMergesAndSpecialTokensWithoutTruncating() throws IOException {
        TinyCheckpoint c = TinyCheckpoint.write(tmp, TinyCheckpoint.Shape.QWEN, 1);
        try (TextTokenizer t = TextTokenizer.open(c.dir().resolve("tokenizer.json"))) {
            long[] ids = t.encode("<|im_start|>hello tell");
            // <|im_start|>, "he", "ll", "o", " t", "e", "ll"
            assertEquals(List.of(260L, 256L, 257L, 111L, 258L, 101L, 257L), java.util.Arrays.stream(ids).boxed().toList());
            assertEquals("<|im_start|>hello tell", t.decode(ids, false));
            assertEquals("hello tell", t.decode(ids, true));
            String longText = "abc ".repeat(600);
            assertTrue(t.encode(longText).length > 1000, "DJL truncates to 512 unless told not to");
            assertEquals(261, t.specialToken("<|im_end|>").orElseThrow());
        }
    }

    @Test
    void chatMlTemplateAddsTheCheckpointsDefaultSystemPrompt() throws IOException {
        TinyCheckpoint c = TinyCheckpoint.write(tmp, TinyCheckpoint.Shape.QWEN, 1);
        ChatTemplate template = ChatTemplate.detect(c.dir());
        ChatTemplate.ChatMl chatMl = assertInstanceOf(ChatTemplate.ChatMl.class, template);
        assertEquals("You are a tiny test model.", chatMl.defaultSystem());
        assertEquals("<|im_start|>system\nYou are a tiny test model.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
                + "<|im_start|>assistant\n", template.render(List.of(ChatMessage.user("hi"))));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                template.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("hi"))));
    }

    @Test
    void llama3Template() {
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", new ChatTemplate.Llama3().render(List.of(ChatMessage.user("hi"))));
    }
}
