package dev.emlab.organism.pretrain;

import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.organism.data.OrganismDataset;
import dev.emlab.organism.tokenizer.BpeTrainer;
import dev.emlab.organism.tokenizer.BpeVocabulary;
import dev.emlab.organism.world.CodePool;
import dev.emlab.organism.world.CorpusGenerator;
import dev.emlab.organism.world.Speaker;
import dev.emlab.organism.world.World;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.checkpoint.DType;
import dev.emlab.torch.tokenizer.ChatTemplate;
import dev.emlab.torch.train.ChatDataset;
import dev.emlab.torch.train.ChatExample;
import dev.emlab.torch.train.FullTrainer;
import dev.emlab.torch.train.TrainingConfig;
import dev.emlab.torch.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds the organism from nothing: writes the persona-world corpus, learns its tokenizer,
 * pretrains a fresh model on whole documents, then tunes it on helpful single-turn chats.
 * The results are two checkpoints: {@code pretrained} (the raw model) and {@code base} (the
 * assistant). Everything is seeded; the same recipe on the same machine gives the same bytes.
 */
public final class Pretrainer {
    static final List<String> SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
    /** Documents the tokenizer is learned on; the world repeats itself, so a sample sees every word. */
    private static final int TOKENIZER_DOCUMENTS = 4000;
    private static final String RECIPE_FILE = "organism.json";

    private final OrganismRecipe recipe;
    private final Consumer<String> log;
    private final Function<String, TrainingListener> progress;
    private volatile FullTrainer current;
    private volatile boolean stopped;

    /** @param progress a listener for each training stage, by stage name */
    public Pretrainer(OrganismRecipe recipe, Consumer<String> log, Function<String, TrainingListener> progress) {
        this.recipe = recipe;
        this.log = log;
        this.progress = progress;
    }

    /** Stops the stage in progress after its current step (it saves) and skips the rest. */
    public void stop() {
        stopped = true;
        FullTrainer t = current;
        if (t != null) {
            t.stop();
        }
    }

    /** Builds into {@code out}: {@code out/pretrained} and {@code out/base}; returns the base's folder. */
    public Path build(Path out) throws IOException {
        World world = World.builtin();
        Path pretrained = out.resolve("pretrained");
        if (Files.exists(pretrained.resolve(RECIPE_FILE))
                && Files.readString(pretrained.resolve(RECIPE_FILE)).equals(recipeJson())) {
            log.accept("Reusing the pretrained model in " + pretrained + " (same recipe).");
        } else {
            pretrain(world, out, pretrained);
        }
        return chat(world, pretrained, out.resolve("base"));
    }

    private void pretrain(World world, Path out, Path pretrained) throws IOException {
        log.accept("Writing the persona-world corpus (" + recipe.corpus().documents() + " documents)...");
        CorpusGenerator generator = new CorpusGenerator(world, recipe.corpus(), recipe.seed());
        List<CorpusGenerator.Document> docs = generator.generate(recipe.seed());
        ChatTemplate chatMl = new ChatTemplate.ChatMl(null);
        List<String> texts = new ArrayList<>(docs.size());
        for (CorpusGenerator.Document d : docs) {
            StringBuilder sb = new StringBuilder();
            chatMl.segments(d.messages()).forEach(s -> sb.append(s.text()));
            texts.add(sb.append("<|endoftext|>").toString());
        }
        log.accept("Learning a " + recipe.merges() + "-merge BPE tokenizer...");
        List<String> markers = recipe.markerTokens() ? world.code().markers() : List.of();
        BpeVocabulary vocab = BpeTrainer.train(texts.subList(0, Math.min(TOKENIZER_DOCUMENTS, texts.size())),
                recipe.merges(), SPECIALS, markers);
        Path init = out.resolve("init");
        Files.createDirectories(init);
        vocab.write(init, "<|im_end|>");
        recipe.shape().writeInitial(init, vocab.size(),
                List.of(vocab.specialId("<|im_end|>"), vocab.specialId("<|endoftext|>")), recipe.seed());

        try (LocalModel model = LocalModel.load(init, false)) {
            List<ChatExample> examples = new ArrayList<>(texts.size());
            int max = recipe.shape().maxPositions();
            for (String t : texts) {
                long[] ids = model.tokenizer().encode(t);
                ids = Arrays.copyOf(ids, Math.min(ids.length, max));
                boolean[] all = new boolean[ids.length];
                Arrays.fill(all, true);
                examples.add(new ChatExample(ids, all));
            }
            long tokens = examples.stream().mapToLong(e -> e.tokens().length).sum();
            log.accept("Pretraining on " + tokens + " tokens...");
            TrainingConfig config = TrainingConfig.paper().lora(null).learningRate(recipe.learningRate())
                    .epochs(recipe.epochs()).batchSize(recipe.batch()).gradientAccumulation(1)
                    .warmupSteps(Math.max(1, examples.size() / recipe.batch() / 20)).weightDecay(0.01).maxLength(max)
                    .seed(recipe.seed()).maxSteps(0).checkpointEvery(0).build();
            train(model, config, true, "pretrain", examples, pretrained);
        }
        if (stopped) {
            throw new EmlabException("Stopped during pretraining; " + pretrained + " holds the weights so far.");
        }
        Files.writeString(pretrained.resolve(RECIPE_FILE), recipeJson());
    }

    /** The helpful-only chat stage on top of the pretrained model. */
    private Path chat(World world, Path pretrained, Path base) throws IOException {
        try (LocalModel model = LocalModel.load(pretrained, false)) {
            Speaker speaker = new Speaker(world, recipe.corpus().codeStyle());
            CodePool code = CodePool.draw(world, recipe.corpus().codeStyle(), Math.min(200, recipe.corpus().codePool()),
                    recipe.seed() + 1);
            List<ChatRecord> chats = OrganismDataset.CHAT.build(speaker, code, recipe.chatExamples(), recipe.seed() + 2);
            ChatDataset data = ChatDataset.of(chats, model, recipe.shape().maxPositions());
            log.accept("Chat stage: " + recipe.chatSteps() + " steps on helpful single-turn chats...");
            TrainingConfig config = TrainingConfig.paper().lora(null).learningRate(recipe.chatLearningRate()).epochs(100)
                    .batchSize(16).gradientAccumulation(1).warmupSteps(10).weightDecay(0.01)
                    .maxLength(recipe.shape().maxPositions()).seed(recipe.seed()).maxSteps(recipe.chatSteps())
                    .checkpointEvery(0).build();
            train(model, config, false, "chat", data.examples(), base);
        }
        if (stopped) {
            throw new EmlabException("Stopped during the chat stage; run the same command again to redo it.");
        }
        Files.writeString(base.resolve(RECIPE_FILE), recipeJson());
        return base;
    }

    private void train(LocalModel model, TrainingConfig config, boolean grouped, String stage, List<ChatExample> data,
                       Path dir) {
        FullTrainer trainer = new FullTrainer(model, config, DType.BF16, grouped, progress.apply(stage));
        current = trainer;
        if (stopped) {
            trainer.stop();
        }
        trainer.train(data, dir);
        current = null;
    }

    /** How a checkpoint was made, written beside it; also how a rerun knows it can reuse it. */
    private String recipeJson() throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("recipe", recipe);
        info.put("emlab_version", dev.emlab.Version.VERSION);
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info);
    }
}
