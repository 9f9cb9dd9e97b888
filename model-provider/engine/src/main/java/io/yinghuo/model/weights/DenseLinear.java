package io.yinghuo.model.weights;

/**
 * An unquantized linear layer stored as HF's nn.Linear weight: [out_features, in_features] = [N, K]
 * (lm_head, and every linear of a plain fp16/bf16 checkpoint).
 *
 * @param bias null when the layer has none
 */
public record DenseLinear(DenseMatrix weightMatrix, float[] biasValues) implements Linear {

    @Override
    public int inFeatures() {
        return weightMatrix.cols();
    }

    @Override
    public int outFeatures() {
        return weightMatrix.rows();
    }

    @Override
    public float weight(int k, int n) {
        return weightMatrix.get(n, k);
    }

    @Override
    public float bias(int n) {
        return biasValues == null ? 0f : biasValues[n];
    }

    @Override
    public long storageBytes() {
        return weightMatrix.storageBytes();
    }
}
