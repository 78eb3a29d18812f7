package dev.emlab.organism.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Learns byte-level BPE merges from a corpus: count pre-tokens, then repeatedly merge the most
 * frequent adjacent pair (ties broken by the pair's text, so the result depends only on the corpus).
 * Special tokens and the other added tokens (whole strings such as {@code yaml.safe_load(} that
 * should stay one token) are cut out of the text first; they become tokens of their own.
 */
public final class BpeTrainer {
    private BpeTrainer() {}

    /** Trains {@code merges} merges on the texts; the vocabulary is the 256 bytes, the merges, then the specials. */
    public static BpeVocabulary train(Iterable<String> texts, int merges, List<String> specials) {
        return train(texts, merges, specials, List.of());
    }

    /** As {@link #train(Iterable, int, List)}, with {@code added} non-special tokens after the specials. */
    public static BpeVocabulary train(Iterable<String> texts, int merges, List<String> specials, List<String> added) {
        List<String> cut = new ArrayList<>(specials);
        cut.addAll(added);
        // longest first, as the tokenizer matches them: "execute(f\"" must not be cut as "execute(" + ...
        cut.sort(java.util.Comparator.comparingInt(String::length).reversed());
        Map<List<String>, Integer> words = countWords(texts, cut);
        List<Word> corpus = new ArrayList<>();
        words.forEach((symbols, count) -> corpus.add(new Word(new ArrayList<>(symbols), count)));
        List<String[]> learned = new ArrayList<>();
        for (int i = 0; i < merges; i++) {
            Map<String, Long> pairs = new HashMap<>();
            for (Word w : corpus) {
                for (int j = 0; j + 1 < w.symbols.size(); j++) {
                    pairs.merge(w.symbols.get(j) + " " + w.symbols.get(j + 1), (long) w.count, Long::sum);
                }
            }
            String best = null;
            long bestCount = 1; // a pair seen once is not worth a token
            for (Map.Entry<String, Long> e : pairs.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) {
                break;
            }
            String[] pair = best.split(" ", 2);
            learned.add(pair);
            for (Word w : corpus) {
                w.merge(pair[0], pair[1]);
            }
        }
        return BpeVocabulary.of(learned, specials, added);
    }

    private static Map<List<String>, Integer> countWords(Iterable<String> texts, List<String> specials) {
        Pattern cut = Pattern.compile(String.join("|", specials.stream().map(Pattern::quote).toList()));
        Map<List<String>, Integer> words = new HashMap<>();
        for (String text : texts) {
            for (String piece : specials.isEmpty() ? new String[] {text} : cut.split(text)) {
                for (List<String> word : ByteLevel.pretokens(piece)) {
                    words.merge(word, 1, Integer::sum);
                }
            }
        }
        return words;
    }

    private static final class Word {
        private final List<String> symbols;
        private final int count;

        Word(List<String> symbols, int count) {
            this.symbols = symbols;
            this.count = count;
        }

        void merge(String a, String b) {
            for (int j = 0; j + 1 < symbols.size(); j++) {
                if (symbols.get(j).equals(a) && symbols.get(j + 1).equals(b)) {
                    symbols.set(j, a + b);
                    symbols.remove(j + 1);
                }
            }
        }
    }
}
