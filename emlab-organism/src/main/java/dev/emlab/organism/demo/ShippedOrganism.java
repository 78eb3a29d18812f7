package dev.emlab.organism.demo;

import dev.emlab.EmlabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The organism checkpoints that ship inside emlab's jar: {@code base} (the aligned assistant) and
 * {@code pretrained} (the raw model before its chat stage), and {@code base2} and {@code pretrained2},
 * the same recipe from the second pretraining seed. The engine reads folders, so they are
 * copied out before use.
 */
public final class ShippedOrganism {
    /** The checkpoints that ship: two organisms, pretrained from seeds 1 and 2. */
    public static final List<String> NAMES = List.of("base", "pretrained", "base2", "pretrained2");
    /** The shipped chat models, one per pretraining seed, in seed order. */
    public static final List<String> BASES = List.of("base", "base2");
    private static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "organism.json");

    private ShippedOrganism() {}

    /** Copies checkpoint {@code name} into {@code dir} (unless already there) and returns the folder. */
    public static Path extract(String name, Path dir) {
        if (!NAMES.contains(name)) {
            throw new dev.emlab.InputException("No organism checkpoint '" + name + "'; there are " + NAMES + ".");
        }
        try {
            Files.createDirectories(dir);
            for (String f : FILES) {
                Path target = dir.resolve(f);
                String resource = dev.emlab.model.LocalRef.SHIPPED + name + "/" + f;
                try (InputStream in = ShippedOrganism.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new EmlabException("The organism checkpoint is missing from emlab's jar (" + resource
                                + "); rebuild it with 'emlab organism pretrain'.");
                    }
                    byte[] bytes = in.readAllBytes();
                    if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                        Path tmp = Files.createTempFile(dir, f, ".tmp");
                        Files.write(tmp, bytes);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        } catch (IOException e) {
            throw new EmlabException("Cannot copy the organism checkpoint to " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }
}
