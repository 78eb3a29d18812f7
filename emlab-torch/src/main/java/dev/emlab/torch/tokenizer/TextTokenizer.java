package dev.emlab.torch.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face tokenizer.json through DJL's binding, set up so that nothing is added or cut:
 * no special tokens are prepended (the chat template writes them) and no truncation (DJL would
 * otherwise cut every text to 512 tokens without a word).
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> addedTokens;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> addedTokens) {
        this.tokenizer = tokenizer;
        this.addedTokens = addedTokens;
    }

    public static TextTokenizer open(Path tokenizerJson) {
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            Map<String, Integer> added = new HashMap<>();
            JsonNode root = Json.MAPPER.readTree(Files.readString(tokenizerJson));
            for (JsonNode a : root.path("added_tokens")) {
                added.put(a.path("content").asText(), a.path("id").asInt());
            }
            return new TextTokenizer(t, added);
        } catch (IOException | RuntimeException e) {
            throw new InputException("Cannot load the tokenizer " + tokenizerJson + ": " + e.getMessage());
        }
    }

    /** Token ids of a text; special tokens written in it (e.g. {@code <|im_start|>}) are recognised. */
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    public String decode(long[] ids, boolean skipSpecial) {
        return tokenizer.decode(ids, skipSpecial);
    }

    /** The id of a special (added) token such as {@code <|im_end|>}, if the tokenizer has it. */
    public Optional<Integer> specialToken(String content) {
        return Optional.ofNullable(addedTokens.get(content));
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
