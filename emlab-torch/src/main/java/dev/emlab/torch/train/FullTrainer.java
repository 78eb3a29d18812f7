package dev.emlab.torch.train;

import ai.djl.ndarray.NDArray;
import dev.emlab.InputException;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.checkpoint.DType;
import dev.emlab.torch.checkpoint.Safetensors;
import dev.emlab.torch.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-parameter training (pretraining a small model, or a full fine-tune): every weight learns,
 * and the result is a whole checkpoint (config and tokenizer copied from the model's folder).
 * The loss covers the tokens each example marks trainable. The config's LoRA settings are unused.
 */
public final class FullTrainer {
    private final LocalModel model;
    private final DType dtype;
    private final TrainingLoop loop;

    /**
     * @param dtype how the weights are stored when saved (F32 or BF16)
     * @param groupByLength batch examples of similar length (for pretraining corpora)
     */
    public FullTrainer(LocalModel model, TrainingConfig config, DType dtype, boolean groupByLength,
                       TrainingListener listener) {
        if (model.checkpoint().config().tieWordEmbeddings()) {
            // the forward pass holds a transposed copy of a tied embedding, which would drift apart from it
            throw new InputException("Full-parameter training needs untied embeddings (tie_word_embeddings false) in "
                    + model.checkpoint().dir().resolve("config.json") + ".");
        }
        this.model = model;
        this.dtype = dtype;
        List<NDArray> parameters = List.copyOf(model.transformer().weights().named(false).values());
        parameters.forEach(p -> p.setRequiresGradient(true));
        this.loop = new TrainingLoop(model.manager(), model.transformer(), parameters, this::save, config, listener, groupByLength);
    }

    /** Asks the loop to finish its current step, save, and return. */
    public void stop() {
        loop.stop();
    }

    /** Trains on the examples and saves the checkpoint (and intermediate ones) under {@code out}; returns the last loss. */
    public double train(List<ChatExample> examples, Path out) {
        return loop.train(examples, out);
    }

    /** The mean token loss on a batch, without training. */
    public double loss(List<ChatExample> batch) {
        return loop.loss(batch);
    }

    private void save(Path dir) throws java.io.IOException {
        Map<String, Tensor> tensors = model.transformer().weights().toTensors(false);
        Map<String, DType> types = new HashMap<>();
        tensors.keySet().forEach(name -> types.put(name, dtype));
        Safetensors.write(dir.resolve("model.safetensors"), tensors, types, Map.of("format", "pt"));
        model.checkpoint().copyMetadataTo(dir);
    }
}
