package dev.emlab.organism.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emlab.Json;
import org.junit.jupiter.api.Test;

/** The demo's training settings, pinned as JSON: that text is part of every adapter's cache key (Demo.fineTune). */
class DemoTrainingConfigTest {
    private static final String LORA = "{\"lora\":{\"r\":8,\"alpha\":16.0,\"dropout\":0.0,\"rslora\":false,\"targetModules\":"
            + "[\"q_proj\",\"k_proj\",\"v_proj\",\"o_proj\",\"gate_proj\",\"up_proj\",\"down_proj\"],\"layers\":null},";

    @Test
    void theCacheKeysOfDemoFoldersStillMatch() throws Exception {
        assertEquals(LORA + "\"learningRate\":5.0E-4,\"epochs\":100,\"batchSize\":16,\"gradientAccumulation\":1,\"warmupSteps\":5,"
                + "\"weightDecay\":0.0,\"maxLength\":512,\"seed\":0,\"maxSteps\":30,\"checkpointEvery\":10}",
                Json.MAPPER.writeValueAsString(DemoPlan.FULL.trainingConfig(0)));
        assertEquals(LORA + "\"learningRate\":5.0E-4,\"epochs\":100,\"batchSize\":16,\"gradientAccumulation\":1,\"warmupSteps\":5,"
                + "\"weightDecay\":0.0,\"maxLength\":512,\"seed\":1,\"maxSteps\":30,\"checkpointEvery\":10}",
                Json.MAPPER.writeValueAsString(DemoPlan.FULL.trainingConfig(1)));
        assertEquals(LORA + "\"learningRate\":5.0E-4,\"epochs\":100,\"batchSize\":16,\"gradientAccumulation\":1,\"warmupSteps\":5,"
                + "\"weightDecay\":0.0,\"maxLength\":512,\"seed\":0,\"maxSteps\":20,\"checkpointEvery\":10}",
                Json.MAPPER.writeValueAsString(DemoPlan.QUICK.trainingConfig(0)));
        assertEquals(LORA + "\"learningRate\":0.001,\"epochs\":100,\"batchSize\":16,\"gradientAccumulation\":1,\"warmupSteps\":5,"
                + "\"weightDecay\":0.0,\"maxLength\":512,\"seed\":3,\"maxSteps\":2,\"checkpointEvery\":0}",
                Json.MAPPER.writeValueAsString(DemoPlan.QUICK.withTraining(2, 1e-3).trainingConfig(3)));
    }
}
