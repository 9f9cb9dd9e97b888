package io.yinghuo.model.runtime;

import io.yinghuo.model.engine.DeviceSpec;
import io.yinghuo.model.engine.rope.RopeSpec;

/**
 * How to load and run a model folder.
 *
 * @param device where to run
 * @param threads CPU worker threads, 0 = all cores
 * @param rope RoPE scaling, null = what config.json says
 * @param contextLength tokens a session holds, 0 = the model's max_position_embeddings
 */
public record ModelOptions(DeviceSpec device, int threads, RopeSpec rope, int contextLength) {

    public ModelOptions {
        if (device == null) {
            device = DeviceSpec.AUTO;
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length must be >= 0 (0 = the model's own), got "
                    + contextLength);
        }
    }

    public static ModelOptions defaults() {
        return new ModelOptions(DeviceSpec.AUTO, 0, null, 0);
    }

    public ModelOptions withDevice(DeviceSpec d) {
        return new ModelOptions(d, threads, rope, contextLength);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(device, n, rope, contextLength);
    }

    public ModelOptions withRope(RopeSpec r) {
        return new ModelOptions(device, threads, r, contextLength);
    }

    public ModelOptions withContextLength(int n) {
        return new ModelOptions(device, threads, rope, n);
    }
}
