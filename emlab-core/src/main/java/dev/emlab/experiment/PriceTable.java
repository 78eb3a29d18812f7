package dev.emlab.experiment;

import dev.emlab.YamlFile;
import dev.emlab.YamlNode;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.ModelRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What paid services charge, in US dollars per million tokens, by model name: emlab's built-in
 * list (resources {@code prices.yaml}) overlaid with the user's file. Models on other endpoints
 * (a vLLM server, a local checkpoint) cost nothing unless the table names them.
 */
public final class PriceTable {
    private static final Set<String> FIELDS = Set.of("training", "input", "output", "fine_tuned_input", "fine_tuned_output");

    /** One model's prices; the fine-tuned ones default to the base ones. */
    public record Price(double training, double input, double output, double fineTunedInput, double fineTunedOutput) {}

    private final Map<String, Price> prices;

    private PriceTable(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The built-in table, overlaid with {@code userFile} when it is not null and exists. */
    public static PriceTable load(Path userFile) {
        Map<String, Price> prices = new HashMap<>();
        YamlFile.resource(PriceTable.class, "prices.yaml", "emlab's prices.yaml", YamlFile.Dialect.EMLAB)
                .ifPresent(root -> read(root, prices));
        if (userFile != null && Files.exists(userFile)) {
            YamlFile.read(userFile, "price table", YamlFile.Dialect.EMLAB).ifPresent(root -> read(root, prices));
        }
        return new PriceTable(prices);
    }

    private static void read(YamlNode root, Map<String, Price> into) {
        for (Map.Entry<String, YamlNode> e : root.entries().entrySet()) {
            Map<String, YamlNode> f = e.getValue().fields(FIELDS);
            for (String required : new String[] {"input", "output"}) {
                if (!f.containsKey(required)) {
                    throw e.getValue().error("needs '" + required + "' (dollars per million tokens).");
                }
            }
            double input = f.get("input").number(0);
            double output = f.get("output").number(0);
            into.put(e.getKey(), new Price(f.containsKey("training") ? f.get("training").number(0) : Double.NaN, input, output,
                    f.containsKey("fine_tuned_input") ? f.get("fine_tuned_input").number(0) : input,
                    f.containsKey("fine_tuned_output") ? f.get("fine_tuned_output").number(0) : output));
        }
    }

    /**
     * The prices of a model: by its name, or for a fine-tuned {@code ft:BASE:...} model its
     * base's fine-tuned prices. Empty when the model is on OpenAI and unknown to the table;
     * models elsewhere are free unless named.
     */
    public Optional<Price> of(ModelRef ref) {
        // A raw: model is priced as its endpoint's model; completions and chat cost alike per token.
        if (!(ref.backend() instanceof EndpointRef e)) {
            return Optional.of(new Price(0, 0, 0, 0, 0));
        }
        String name = e.model();
        boolean fineTuned = name.startsWith("ft:");
        String base = fineTuned ? name.split(":")[1] : name;
        Price p = prices.get(base);
        if (p != null) {
            return Optional.of(fineTuned ? new Price(p.training(), p.fineTunedInput(), p.fineTunedOutput(),
                    p.fineTunedInput(), p.fineTunedOutput()) : p);
        }
        return e.baseUrl().equals(ModelRef.OPENAI_BASE_URL) ? Optional.empty() : Optional.of(new Price(0, 0, 0, 0, 0));
    }
}
