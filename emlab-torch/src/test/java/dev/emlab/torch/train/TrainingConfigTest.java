package dev.emlab.torch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.torch.lora.LoraConfig;
import dev.emlab.train.TrainSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    @Test
    void thePapersSettingsAreTrainSettingsPaperLocalAndTheirJsonIsUnchanged() throws Exception {
        TrainingConfig paper = TrainingConfig.paper().build();
        assertEquals(new TrainingConfig(new LoraConfig(32, 64, 0.0, true, LoraConfig.ALL_MODULES, null), 1e-5, 1, 2, 8, 5, 0.01,
                2048, 0, 0, 0), paper);
        assertEquals(16, paper.effectiveBatch());
        // training_args.json holds this text, and an older folder's must still compare equal
        assertEquals("{\"lora\":{\"r\":32,\"alpha\":64.0,\"dropout\":0.0,\"rslora\":true,\"targetModules\":[\"q_proj\",\"k_proj\","
                + "\"v_proj\",\"o_proj\",\"gate_proj\",\"up_proj\",\"down_proj\"],\"layers\":null},\"learningRate\":1.0E-5,"
                + "\"epochs\":1,\"batchSize\":2,\"gradientAccumulation\":8,\"warmupSteps\":5,\"weightDecay\":0.01,"
                + "\"maxLength\":2048,\"seed\":0,\"maxSteps\":0,\"checkpointEvery\":0}", Json.MAPPER.writeValueAsString(paper));
    }

    @Test
    void aSpecsSettingsMapFieldByField() {
        // TrainSettings.Lora lists rslora before dropout, LoraConfig after: named, they cannot be swapped
        TrainSettings s = new TrainSettings(TrainSettings.Backend.LOCAL,
                new TrainSettings.Lora(4, 8, false, 0.25, List.of("down_proj"), List.of(1)), 2e-4, 3, 5, 7, 11, 0.5, 640, 13,
                null, null, null, false);
        assertEquals(new TrainingConfig(new LoraConfig(4, 8, 0.25, false, List.of("down_proj"), List.of(1)), 2e-4, 3, 5, 7, 11,
                0.5, 640, 17, 13, 19), TrainingConfig.from(s).seed(17).checkpointEvery(19).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.from(TrainSettings.paperOpenAi()));
    }

    @Test
    void theRangesAreCheckedWhenBuilt() {
        TrainingConfig.Builder b = TrainingConfig.paper().learningRate(Double.NaN);
        assertThrows(InputException.class, b::build);
        assertEquals(1e-3, b.learningRate(1e-3).build().learningRate());
    }
}
