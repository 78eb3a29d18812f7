package dev.emlab.organism.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-level BPE vocabulary: token ids 0..255 are the bytes, then one id per merge in the order
 * learned, then the special tokens, then the other added tokens. Written as a Hugging Face
 * tokenizer.json, so the engine loads it like any other model's tokenizer.
 *
 * @param merges each merge as its two parts, highest priority first
 * @param added strings kept as one token wherever they occur, but ordinary text (not special:
 *     decoding keeps them); without spaces, so that the byte-level decoder leaves them as they are
 */
public record BpeVocabulary(List<String[]> merges, List<String> specials, List<String> added) {
    public static BpeVocabulary of(List<String[]> merges, List<String> specials) {
        return of(merges, specials, List.of());
    }

    public static BpeVocabulary of(List<String[]> merges, List<String> specials, List<String> added) {
        for (String a : added) {
            if (a.isEmpty() || a.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("an added token must be printable ASCII without spaces: '" + a + "'");
            }
        }
        return new BpeVocabulary(List.copyOf(merges), List.copyOf(specials), List.copyOf(added));
    }

    /** Number of ids: bytes, merges, specials and added tokens. */
    public int size() {
        return 256 + merges.size() + specials.size() + added.size();
    }

    /** The id of an added (non-special) token. */
    public int addedId(String token) {
        int i = added.indexOf(token);
        if (i < 0) {
            throw new IllegalArgumentException("not an added token: " + token);
        }
        return 256 + merges.size() + specials.size() + i;
    }

    /** The id of a special token. */
    public int specialId(String token) {
        int i = specials.indexOf(token);
        if (i < 0) {
            throw new IllegalArgumentException("not a special token: " + token);
        }
        return 256 + merges.size() + i;
    }

    /** Writes tokenizer.json and tokenizer_config.json (a ChatML template without a default system prompt). */
    public void write(Path dir, String eosToken) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode addedTokens = root.putArray("added_tokens");
        for (String s : specials) {
            addedTokens.addObject().put("id", specialId(s)).put("content", s).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        for (String a : added) {
            addedTokens.addObject().put("id", addedId(a)).put("content", a).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", false);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        vocabulary().forEach(vocab::put);
        ArrayNode mergeList = model.putArray("merges");
        merges.forEach(m -> mergeList.add(m[0] + " " + m[1]));
        Files.writeString(dir.resolve("tokenizer.json"), Json.MAPPER.writeValueAsString(root));
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("chat_template", "{% for message in messages %}"
                + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
                + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}");
        config.put("eos_token", eosToken);
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.MAPPER.writeValueAsString(config));
    }

    /** Token text to id for the bytes and merges. */
    Map<String, Integer> vocabulary() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(ByteLevel.symbol(b), b);
        }
        List<String> merged = new ArrayList<>();
        for (String[] m : merges) {
            merged.add(m[0] + m[1]);
        }
        for (int i = 0; i < merged.size(); i++) {
            vocab.putIfAbsent(merged.get(i), 256 + i);
        }
        return vocab;
    }
}
