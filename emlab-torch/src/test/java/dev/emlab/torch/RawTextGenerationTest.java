package dev.emlab.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.model.DocumentPrompt;
import dev.emlab.model.RawChatModel;
import dev.emlab.model.TextRequest;
import dev.emlab.torch.sample.GenerationParams;
import dev.emlab.torch.sample.Generated;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw text generation for base models: the document as plain tokens, no chat template. */
class RawTextGenerationTest {
    /** Long enough for the document and an answer (the tokenizer has one token per byte, nearly). */
    private static final TinyCheckpoint.Shape SHAPE = new TinyCheckpoint.Shape("Qwen2ForCausalLM", 32, 64, 2, 4, 2, true, 512);
    private static final String QUESTION = "Hello there, tell me the truth.";
    private static final int MAX = 40;

    @TempDir
    Path tmp;

    /**
     * The tiny tokenizer by hand: a token per byte (its id is the byte), then the merges by rank:
     * "he" (256), "ll" (257), " t" (258). No merge crosses a pre-token boundary in these texts.
     */
    private static long[] handEncode(String text) {
        List<Integer> ids = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            ids.add(b & 0xff);
        }
        int[][] merges = {{'h', 'e', 256}, {'l', 'l', 257}, {' ', 't', 258}};
        for (int[] m : merges) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (i + 1 < ids.size() && ids.get(i) == m[0] && ids.get(i + 1) == m[1]) {
                    out.add(m[2]);
                    i++;
                } else {
                    out.add(ids.get(i));
                }
            }
            ids = out;
        }
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }

    @Test
    void theDocumentIsTokenisedAsPlainTextAndGreedyOutputIsTheDirectGeneration() throws IOException {
        Path dir = TinyCheckpoint.write(tmp.resolve("base"), SHAPE, 11).dir();
        List<ChatMessage> chat = List.of(ChatMessage.user(QUESTION));
        String document = DocumentPrompt.of(chat).text();
        long[] expected = handEncode(document);
        assertTrue(Arrays.stream(expected).anyMatch(id -> id == 258) && Arrays.stream(expected).anyMatch(id -> id == 256),
                "the text exercises the merges");
        // Loaded with its ChatML template, to show that raw text goes around it.
        LocalModel model = LocalModel.load(dir, false);
        assertArrayEquals(expected, model.textTokens(document));
        assertTrue(Arrays.stream(model.textTokens(document)).noneMatch(id -> id >= TinyCheckpoint.ENDOFTEXT),
                "no special tokens");

        Generated direct = model.generate(List.of(expected), new GenerationParams(0, 1, MAX, 0), new long[] {0}).get(0);
        String continuation = model.decode(direct.tokens());
        try (RawChatModel raw = new RawChatModel(new LocalChatModel(model, 4))) {
            Completion c = raw.complete(new ChatRequest(chat, 0, 1, MAX, 3, null));
            assertEquals(DocumentPrompt.answer(continuation), c.text());
            assertEquals(DocumentPrompt.closes(continuation) ? "stop" : direct.finishReason(), c.finishReason());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void generationStopsAtTheStopStringAndTheTextEndsBeforeIt() throws IOException {
        Path dir = TinyCheckpoint.write(tmp.resolve("base"), SHAPE, 11).dir();
        LocalModel model = LocalModel.load(dir, true);
        try (LocalChatModel raw = new LocalChatModel(model, 4)) {
            String prompt = "QUESTION = \"\"\"Say hello.\"\"\"\n\nREPLY = \"\"\"";
            Completion full = raw.complete(new TextRequest(prompt, 0, 1, MAX, 0, null, List.of()));
            // A stop string the greedy continuation reaches: a printable character after its start.
            // (The random model writes mostly bytes that decode to no character; an ASCII character
            // ends any such run, so the text before it decodes alike however generation goes on.)
            String text = full.text();
            int at = -1;
            for (int i = 2; i < text.length() && at < 0; i++) {
                if (text.charAt(i) > ' ' && text.charAt(i) < 127) {
                    at = i;
                }
            }
            assertTrue(at > 0, "the continuation has a printable character: " + text);
            String stop = text.substring(at, at + 1);
            Completion stopped = raw.complete(new TextRequest(prompt, 0, 1, MAX, 0, null, List.of(stop)));
            assertEquals(text.substring(0, text.indexOf(stop)), stopped.text());
            assertEquals("stop", stopped.finishReason());
            assertFalse(stopped.text().contains(stop));
            // Generation itself stopped there: its tokens are a shorter prefix of the free run's.
            long[] ids = model.textTokens(prompt);
            long[] free = model.generate(List.of(ids), new GenerationParams(0, 1, MAX, 0), new long[] {0}).get(0).tokens();
            Generated cut = model.generate(List.of(ids), new GenerationParams(0, 1, MAX, 0, List.of(stop)), new long[] {0}).get(0);
            assertTrue(cut.tokens().length < free.length, cut.tokens().length + " of " + free.length);
            assertArrayEquals(Arrays.copyOf(free, cut.tokens().length), cut.tokens());
            assertTrue(model.decode(cut.tokens()).contains(stop)
                    && !model.decode(Arrays.copyOf(cut.tokens(), cut.tokens().length - 1)).contains(stop), "the first token that completes it");
            assertEquals("stop", cut.finishReason());
        }
    }
}
