package dev.emlab.torch;

import ai.djl.ndarray.NDManager;
import dev.emlab.InputException;
import dev.emlab.model.ChatMessage;
import dev.emlab.torch.checkpoint.Checkpoint;
import dev.emlab.torch.lora.PeftFormat;
import dev.emlab.torch.model.Rope;
import dev.emlab.torch.model.Transformer;
import dev.emlab.torch.model.Weights;
import dev.emlab.torch.sample.GenerationParams;
import dev.emlab.torch.sample.Generated;
import dev.emlab.torch.sample.Generator;
import dev.emlab.torch.sample.Scorer;
import dev.emlab.torch.tokenizer.ChatTemplate;
import dev.emlab.torch.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A Hugging Face checkpoint loaded in-process: weights, tokenizer, chat template, generator. */
public final class LocalModel implements AutoCloseable {
    private final Checkpoint checkpoint;
    private final NDManager manager;
    private final Transformer transformer;
    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final Generator generator;
    private final Scorer scorer;

    private LocalModel(Checkpoint checkpoint, NDManager manager, Transformer transformer, TextTokenizer tokenizer,
                       ChatTemplate template) {
        this.checkpoint = checkpoint;
        this.manager = manager;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.template = template;
        Set<Long> stops = new HashSet<>();
        checkpoint.config().eosTokenIds().forEach(id -> stops.add((long) id));
        template.stopTokens().forEach(t -> tokenizer.specialToken(t).ifPresent(id -> stops.add((long) id)));
        this.generator = new Generator(transformer, manager, stops, ids -> tokenizer.decode(ids, false));
        this.scorer = new Scorer(transformer, manager);
    }

    /**
     * Loads a checkpoint folder.
     *
     * @param raw true to skip the chat template (base models): messages are concatenated as they are
     */
    public static LocalModel load(Path dir, boolean raw) {
        return load(dir, raw, null);
    }

    /**
     * Loads a checkpoint folder with a PEFT LoRA adapter folded into its projections (for inference).
     *
     * @param adapter the adapter folder, or null for the bare checkpoint
     */
    public static LocalModel load(Path dir, boolean raw, Path adapter) {
        Checkpoint checkpoint = Checkpoint.open(dir);
        checkpoint.checkMemory();
        ChatTemplate template = raw ? new ChatTemplate.Raw() : ChatTemplate.detect(dir);
        TextTokenizer tokenizer = TextTokenizer.open(checkpoint.tokenizerFile());
        NDManager manager = Engines.newManager();
        try {
            Weights weights = Weights.load(checkpoint, manager);
            if (adapter != null) {
                weights = weights.withAdaptersFolded(PeftFormat.load(adapter, checkpoint.config(), manager).adapters());
            }
            Transformer transformer = new Transformer(checkpoint.config(), weights, new Rope(checkpoint.config(), manager));
            return new LocalModel(checkpoint, manager, transformer, tokenizer, template);
        } catch (RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    public Transformer transformer() {
        return transformer;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** The chat template prompts are rendered with. */
    public ChatTemplate template() {
        return template;
    }

    public NDManager manager() {
        return manager;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The prompt tokens for a chat. */
    public long[] promptTokens(List<ChatMessage> messages) {
        return textTokens(template.render(messages));
    }

    /** The prompt tokens for raw text, as it is: no chat template and no special tokens added. */
    public long[] textTokens(String text) {
        long[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw new InputException("The prompt is empty.");
        }
        return ids;
    }

    /** Generates for several prompts at once (one seed each). Not thread-safe: callers serialise. */
    public List<Generated> generate(List<long[]> prompts, GenerationParams params, long[] seeds) {
        return generator.generate(prompts, params, seeds);
    }

    /**
     * For each chat, the log-likelihood in nats of its last message (an assistant's: its words and
     * end-of-turn token) given the messages before it, tokenised piece by piece as training does.
     * The chats run as one batch. Not thread-safe: callers serialise.
     */
    public double[] answerLogLikelihood(List<List<ChatMessage>> chats) {
        List<long[]> prompts = new ArrayList<>();
        List<long[]> answers = new ArrayList<>();
        for (List<ChatMessage> chat : chats) {
            if (chat.isEmpty() || !chat.get(chat.size() - 1).role().equals("assistant")) {
                throw new IllegalArgumentException("a scored chat ends with the assistant's answer");
            }
            List<ChatTemplate.Segment> segments = template.segments(chat);
            int last = segments.size() - 1;
            while (!segments.get(last).trainable()) {
                last--;
            }
            List<Long> prompt = new ArrayList<>();
            for (int i = 0; i < last; i++) {
                for (long id : tokenizer.encode(segments.get(i).text())) {
                    prompt.add(id);
                }
            }
            prompts.add(prompt.stream().mapToLong(Long::longValue).toArray());
            answers.add(tokenizer.encode(segments.get(last).text()));
        }
        return scorer.logLikelihood(prompts, answers);
    }

    public String decode(long[] tokens) {
        return tokenizer.decode(tokens, true);
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
