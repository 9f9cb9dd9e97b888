package io.yinghuo.model.serve;

import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;
import io.yinghuo.model.engine.RandomLlama.Spec;
import io.yinghuo.model.engine.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serving benchmark measures what it says on a tiny model (the figures themselves are not asserted). */
class ServingBenchTest {

    @Test
    void reportsEveryFigureWithTheCachedPrefixesItClaims() {
        Spec spec = Spec.tiny().withShape(64, 96, 2, 4, 2, 120);
        ServingBench.Plan plan = new ServingBench.Plan(new int[] {8, 16}, 2, 50, 6, 20, new int[] {1, 3, 1}, 3);
        List<String> progress = new ArrayList<>();
        ServingBench.Report r;
        try (LoadedModel model = new CpuBackend().load(RandomLlama.build(spec), EngineOptions.defaults().withThreads(1))) {
            r = ServingBench.run(model, plan, progress::add);
        }
        assertEquals(2, r.speeds().size());
        assertEquals(16, r.speeds().get(1).result().promptTokens());
        assertEquals(3, r.firstTokens().size());
        ServingBench.FirstToken chat = r.firstTokens().get(0);
        assertEquals(50 + 6, chat.promptTokens());
        assertEquals(50, chat.reusedTokens(), "the whole history is served from the slot");
        ServingBench.FirstToken rag = r.firstTokens().get(1);
        assertEquals(rag.promptTokens() - 30, rag.reusedTokens(), "everything before the new question");
        assertEquals(List.of(1, 3, 1), r.streams().stream().map(ServingBench.Streams::streams).toList());
        assertTrue(r.streams().stream().allMatch(s -> s.aggregateTokensPerSecond() > 0 && s.p99StepMillis() > 0));
        assertTrue(r.scaling() > 0);
        assertEquals(8, progress.size(), "one progress line per figure");
        assertTrue(r.toString().contains("aggregate decode at 3 streams"), r.toString());
    }
}
