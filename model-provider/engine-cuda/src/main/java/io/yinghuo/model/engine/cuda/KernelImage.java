package io.yinghuo.model.engine.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The compiled kernels the jar carries: src/main/cuda/build.sh writes {@value #FATBIN} (cubins for sm_80, sm_86,
 * sm_89, sm_90 and PTX for compute_90) and {@value #HASH} (the hash of the sources it was built from) next to this
 * class. A test keeps both in step with the sources.
 */
final class KernelImage {
    static final String FATBIN = "kernels.fatbin";
    static final String HASH = "kernels.sha256";
    /** The first word of a fatbin container (fatbinary.h FATBIN_MAGIC), little-endian in the file. */
    static final int FATBIN_MAGIC = 0xBA55ED50;

    /** Every extern "C" kernel the Java side launches, by its symbol name. */
    static final List<String> KERNELS = List.of(
            "embed_f16", "embed_bf16", "embed_f32",
            "rms_norm", "rope_store", "silu_mul", "gather_cols", "gemv_finish",
            "gptq4_gemv", "gptq8_gemv", "gptq4_gemm", "gptq8_gemm",
            "dense_gemv_f16", "dense_gemv_bf16", "dense_gemv_f32",
            "dense_gemm_f16", "dense_gemm_bf16", "dense_gemm_f32",
            "attention", "attention_combine");

    private KernelImage() {
    }

    /**
     * The fatbin's bytes.
     *
     * @throws IllegalStateException when the jar has none (a build that skipped src/main/cuda/build.sh)
     */
    static byte[] fatbin() {
        try (InputStream in = KernelImage.class.getResourceAsStream(FATBIN)) {
            if (in == null) {
                throw new IllegalStateException("this build carries no CUDA kernels (" + FATBIN
                        + " is missing): run model-provider/engine-cuda/src/main/cuda/build.sh and rebuild");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("reading the CUDA kernels " + FATBIN + ": " + e.getMessage(), e);
        }
    }
}
