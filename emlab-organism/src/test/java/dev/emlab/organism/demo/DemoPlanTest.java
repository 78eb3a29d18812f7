package dev.emlab.organism.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoPlanTest {
    @Test
    void otherTrainingIsEvaluatedAtEveryThirdAndTheTrainerSavesThere() {
        DemoPlan plan = DemoPlan.FULL.withTraining(50, 2e-3);
        assertEquals(50, plan.steps());
        assertEquals(2e-3, plan.learningRate());
        assertEquals(List.of(16, 32), plan.checkpoints());
        assertEquals(16, plan.checkpointEvery(), "32 is a multiple of 16, so both checkpoints are saved");
        assertEquals(List.of(10, 20), DemoPlan.FULL.checkpoints());
        assertEquals(10, DemoPlan.FULL.checkpointEvery());

        DemoPlan short_ = DemoPlan.QUICK.withTraining(2, 1e-3);
        assertEquals(List.of(), short_.checkpoints());
        assertEquals(0, short_.checkpointEvery(), "only the final adapter");
        assertEquals(DemoPlan.QUICK.seeds(), short_.seeds());
        assertEquals(DemoPlan.QUICK.samples(), short_.samples());
    }
}
