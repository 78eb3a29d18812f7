package dev.emlab.torch.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code training_state.json} says about the weights in a training's output folder: the
 * finished training, or what a stopped one had learned so far. Training writes it; loading reads
 * it, so that the few steps of a stopped run are never evaluated or merged as the fine-tune.
 */
public record TrainingState(boolean complete, int stepsDone, int stepsPlanned) {
    public static final String FILE = "training_state.json";

    /** The state of a run that has taken {@code done} of its {@code planned} steps. */
    public static TrainingState after(int done, int planned) {
        return new TrainingState(done == planned, done, planned);
    }

    public void write(Path dir) {
        var node = Json.MAPPER.createObjectNode().put("complete", complete).put("steps_done", stepsDone)
                .put("steps_planned", stepsPlanned);
        dev.emlab.TextFile.write(dir.resolve(FILE), w -> w.write(node.toPrettyString() + "\n"));
    }

    /** The folder's state; empty for weights no emlab training wrote there (a PEFT download, a checkpoint-N folder). */
    public static Optional<TrainingState> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InputException(file + " is not valid JSON (" + e.getMessage() + "). It says whether the training"
                    + " there finished; run that training again to rewrite it.");
        }
        return Optional.of(new TrainingState(node.path("complete").asBoolean(false), node.path("steps_done").asInt(0),
                node.path("steps_planned").asInt(0)));
    }

    /**
     * Refuses an adapter folder whose training stopped before its end: its steps are not the
     * fine-tune that was asked for, and nothing downstream could tell. A checkpoint the run saved is
     * whole, and the way out that keeps what was trained.
     */
    public static void requireFinished(Path adapter) {
        Optional<TrainingState> state = read(adapter);
        if (state.isEmpty() || state.get().complete()) {
            return;
        }
        String checkpoint = lastCheckpoint(adapter).map(c -> ", or name the last checkpoint it saved, " + c + ", as the adapter")
                .orElse("");
        throw new InputException(adapter + " holds a partial adapter: its training stopped at step " + state.get().stepsDone()
                + " of " + state.get().stepsPlanned() + " (" + FILE + " says \"complete\": false), so it is not the"
                + " finished fine-tune. Run the same 'emlab train' command again (same --out) to train it to the end"
                + checkpoint + ".");
    }

    private static Optional<Path> lastCheckpoint(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{1,9}"))
                    .filter(p -> Files.isRegularFile(p.resolve("adapter_config.json")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring("checkpoint-".length()))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
