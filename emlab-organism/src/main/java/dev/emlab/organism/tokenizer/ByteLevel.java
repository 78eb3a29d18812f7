package dev.emlab.organism.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte-level conventions of GPT-2-style tokenizers, which Hugging Face's {@code ByteLevel}
 * pre-tokenizer applies: text is split by GPT-2's regular expression and every byte is shown as a
 * printable character. Training must split exactly as the tokenizer will at run time.
 */
final class ByteLevel {
    private static final Pattern SPLIT = Pattern.compile(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
    private static final String[] ALPHABET = alphabet();

    private ByteLevel() {}

    /** GPT-2's byte-to-character table: printable bytes stand for themselves, the others from U+0100 on. */
    private static String[] alphabet() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = new String(Character.toChars(printable ? b : next++));
        }
        return out;
    }

    /** The character that stands for byte {@code b} (0..255). */
    static String symbol(int b) {
        return ALPHABET[b];
    }

    /** The pre-tokens of a text, each as its byte symbols. */
    static List<List<String>> pretokens(String text) {
        List<List<String>> out = new ArrayList<>();
        Matcher m = SPLIT.matcher(text);
        while (m.find()) {
            byte[] bytes = m.group().getBytes(StandardCharsets.UTF_8);
            List<String> symbols = new ArrayList<>(bytes.length);
            for (byte b : bytes) {
                symbols.add(ALPHABET[b & 0xff]);
            }
            out.add(symbols);
        }
        return out;
    }
}
