package io.yinghuo.model.weights;

/** A linear layer y = x W (+ b) with K inputs and N outputs, in whatever storage the checkpoint has. */
public sealed interface Linear permits GptqLinear, DenseLinear {
    int inFeatures();

    int outFeatures();

    /** The effective weight W[k][n] in float, computed from the stored form (the reference for every kernel). */
    float weight(int k, int n);

    /** Bias of output n, 0 when there is none. */
    float bias(int n);

    /** Bytes of weights (and scales, zeros, indices) a matrix-vector product streams. */
    long storageBytes();
}
