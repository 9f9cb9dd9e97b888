package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.checkpoint.DType;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;

/**
 * Typed launches of the kernels in src/main/cuda (one method per kernel, grid and block sizes as each kernel's
 * comment says). Launches go to the context's default stream in order; nothing here synchronizes.
 */
final class CudaKernels {
    /** A null device pointer argument (optional bias, unused partial buffers). */
    static final CUdeviceptr NULL = new CUdeviceptr();
    /** Rows of attention queries per block: ATT_WARPS in attention.cuh. */
    static final int ATTENTION_ROWS = 8;
    static final int ATTENTION_KEYS = 32;
    static final int MAX_HEAD_DIM = 256;
    /** Columns one GPTQ GEMV block covers: 32 threads x 4 columns. */
    static final int GEMV_COLUMNS = 128;
    static final int GEMV_THREAD_ROWS = 8;
    static final int TILE = 64;

    private final Map<String, CUfunction> functions = new HashMap<>();

    CudaKernels(CUmodule module) {
        for (String name : KernelImage.KERNELS) {
            CUfunction f = new CUfunction();
            cuModuleGetFunction(f, module, name);
            functions.put(name, f);
        }
    }

    private CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) {
            throw new IllegalStateException("no CUDA kernel " + name);
        }
        return f;
    }

    static String suffix(DType type) {
        return switch (type) {
            case F16, BF16, F32 -> type.name().toLowerCase(Locale.ROOT);
            default -> throw new IllegalArgumentException("the CUDA backend reads F16, BF16 or F32 weights, not "
                    + type);
        };
    }

    void embed(DType type, CUdeviceptr table, CUdeviceptr tokens, CUdeviceptr x, int rows, int hidden) {
        launch("embed_" + suffix(type), rows, 1, 1, 256, 1, 0, table, tokens, x, hidden);
    }

    void rmsNorm(CUdeviceptr x, CUdeviceptr weight, CUdeviceptr out, int rows, int hidden, double eps) {
        launch("rms_norm", rows, 1, 1, 256, 1, 0, x, weight, out, hidden, eps);
    }

    void ropeStore(CUdeviceptr q, CUdeviceptr k, CUdeviceptr v, CUdeviceptr cos, CUdeviceptr sin,
                   CUdeviceptr kcache, CUdeviceptr vcache, int rows, int heads, int kvHeads, int headDim, int pos0) {
        launch("rope_store", rows, 1, 1, 128, 1, 0, q, k, v, cos, sin, kcache, vcache, heads, kvHeads, headDim, pos0);
    }

    void siluMul(CUdeviceptr gate, CUdeviceptr up, long n) {
        launch("silu_mul", blocks(n, 256), 1, 1, 256, 1, 0, gate, up, n);
    }

    void gather(CUdeviceptr x, CUdeviceptr perm, CUdeviceptr xg, int rows, int k, int kp) {
        launch("gather_cols", blocks(kp, 256), rows, 1, 256, 1, 0, x, perm, xg, k, kp);
    }

    void gemvFinish(CUdeviceptr partial, int splits, CUdeviceptr bias, CUdeviceptr y, int n, boolean accumulate) {
        launch("gemv_finish", blocks(n, 256), 1, 1, 256, 1, 0, partial, splits, bias, y, n, accumulate ? 1 : 0);
    }

    void gptqGemv(int bits, CUdeviceptr qweight, CUdeviceptr meta, CUdeviceptr chunks, int chunkCount,
                  CUdeviceptr xg, CUdeviceptr partial, int n, int splits) {
        launch("gptq" + bits + "_gemv", blocks(n, GEMV_COLUMNS), splits, 1, 32, GEMV_THREAD_ROWS, 0,
                qweight, meta, chunks, chunkCount, xg, partial, n);
    }

    void gptqGemm(int bits, CUdeviceptr qweight, CUdeviceptr meta, CUdeviceptr wordGroup, CUdeviceptr xg,
                  CUdeviceptr bias, CUdeviceptr y, int rows, int kp, int n, boolean accumulate) {
        launch("gptq" + bits + "_gemm", blocks(n, TILE), blocks(rows, TILE), 1, 256, 1, 0,
                qweight, meta, wordGroup, xg, bias, y, rows, kp, n, accumulate ? 1 : 0);
    }

    void denseGemv(DType type, CUdeviceptr w, CUdeviceptr x, CUdeviceptr bias, CUdeviceptr y, int k, int n,
                   boolean accumulate) {
        launch("dense_gemv_" + suffix(type), blocks(n, 8), 1, 1, 256, 1, 0, w, x, bias, y, k, n,
                accumulate ? 1 : 0);
    }

    void denseGemm(DType type, CUdeviceptr w, CUdeviceptr x, CUdeviceptr bias, CUdeviceptr y, int rows, int k,
                   int n, boolean accumulate) {
        launch("dense_gemm_" + suffix(type), blocks(n, TILE), blocks(rows, TILE), 1, 256, 1, 0, w, x, bias, y,
                rows, k, n, accumulate ? 1 : 0);
    }

    /** Dynamic shared memory of one attention block (attention.cuh): K and V tiles as padded half2 rows, q rows. */
    static int attentionSharedBytes(int headDim) {
        return 2 * ATTENTION_KEYS * (headDim / 2 + 1) * 4 + ATTENTION_ROWS * headDim * 4;
    }

    void attention(CUdeviceptr q, CUdeviceptr kcache, CUdeviceptr vcache, CUdeviceptr out, CUdeviceptr partMax,
                   CUdeviceptr partSum, CUdeviceptr partAcc, int rows, int pos0, int heads, int kvHeads,
                   int headDim, int splits, int splitLen) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        launchGrid("attention", blocks(rows, ATTENTION_ROWS), heads, splits, 256, 1,
                attentionSharedBytes(headDim), q, kcache, vcache, out, partMax, partSum, partAcc, rows, pos0, heads,
                kvHeads, headDim, scale, splitLen);
    }

    void attentionCombine(CUdeviceptr partMax, CUdeviceptr partSum, CUdeviceptr partAcc, CUdeviceptr out,
                          int rows, int heads, int headDim, int splits) {
        launch("attention_combine", rows, heads, 1, (headDim + 31) / 32 * 32, 1, 0, partMax, partSum, partAcc, out,
                heads, headDim, splits);
    }

    static int blocks(long n, int per) {
        long b = (n + per - 1) / per;
        if (b > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " elements are too many for one launch");
        }
        return (int) Math.max(b, 1);
    }

    private void launch(String name, int gx, int gy, int gz, int bx, int by, int shared, Object... args) {
        launchGrid(name, gx, gy, gz, bx, by, shared, args);
    }

    private void launchGrid(String name, int gx, int gy, int gz, int bx, int by, int shared, Object... args) {
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof CUdeviceptr p) {
                params[i] = Pointer.to(p);
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (a instanceof Long v) {
                params[i] = Pointer.to(new long[] {v});
            } else if (a instanceof Float v) {
                params[i] = Pointer.to(new float[] {v});
            } else if (a instanceof Double v) {
                params[i] = Pointer.to(new double[] {v});
            } else {
                throw new IllegalArgumentException("kernel " + name + " argument " + i + ": " + a);
            }
        }
        cuLaunchKernel(function(name), gx, gy, gz, bx, by, 1, shared, null, Pointer.to(params), null);
    }
}
