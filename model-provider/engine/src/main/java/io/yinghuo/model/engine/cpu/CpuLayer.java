package io.yinghuo.model.engine.cpu;

/** One decoder layer in the CPU layout (names as in {@link io.yinghuo.model.weights.LayerWeights}). */
record CpuLayer(float[] inputNorm, CpuLinear q, CpuLinear k, CpuLinear v, CpuLinear o, float[] postNorm,
                CpuLinear gate, CpuLinear up, CpuLinear down) {

    long bytes() {
        return q.bytes() + k.bytes() + v.bytes() + o.bytes() + gate.bytes() + up.bytes() + down.bytes();
    }
}
