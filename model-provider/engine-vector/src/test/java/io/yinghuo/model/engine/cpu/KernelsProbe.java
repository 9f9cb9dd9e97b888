package io.yinghuo.model.engine.cpu;

import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.RandomLlama;

/** Run in a forked JVM by {@link KernelsProviderTest}: prints the kernels in use and runs a tiny model. */
public final class KernelsProbe {
    public static void main(String[] args) {
        try (LoadedModel m = new CpuBackend().load(RandomLlama.build(RandomLlama.Spec.tiny()),
                EngineOptions.defaults().withThreads(2));
             InferenceSession s = m.newSession(8)) {
            float[] logits = s.forward(new int[] {1, 2, 3});
            System.out.println("kernels=" + KernelsProvider.get().name() + " logits=" + logits.length);
        }
    }
}
