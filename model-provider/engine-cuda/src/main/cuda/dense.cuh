// Dense linears (lm_head, and every linear of an fp16/bf16/fp32 checkpoint) in the checkpoint's own layout and
// element type: W [N, K] row-major (HF nn.Linear), so y[n] = sum_k x[k] W[n, k]. fp32 accumulation.
#pragma once
#include "gptq.cuh"

// Decode: one warp per output row, 16-byte loads along K when K allows, warp-shuffle reduction.
// Grid: ceil(N / 8); block: 256.
template <typename T>
__device__ __forceinline__ void dense_gemv(const T* __restrict__ w, const float* __restrict__ x,
                                           const float* __restrict__ bias, float* __restrict__ y, int k, int n,
                                           int accumulate) {
    constexpr int V = 16 / sizeof(T); // elements per 16-byte load
    int lane = threadIdx.x & 31;
    int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    if (row >= n) return; // whole warps leave together: no block-wide barrier follows
    const T* wr = w + (size_t) row * k;
    float s = 0.0f;
    if (k % V == 0) {
        for (int i = lane * V; i < k; i += 32 * V) {
            uint4 raw = __ldg(reinterpret_cast<const uint4*>(wr + i));
            const T* e = reinterpret_cast<const T*>(&raw);
#pragma unroll
            for (int j = 0; j < V; j++) s += x[i + j] * to_float(e[j]);
        }
    } else {
        for (int i = lane; i < k; i += 32) s += x[i] * to_float(wr[i]);
    }
    s = warp_sum(s);
    if (lane == 0) {
        if (bias != nullptr) s += bias[row];
        y[row] = accumulate ? y[row] + s : s;
    }
}

extern "C" __global__ void __launch_bounds__(256) dense_gemv_f16(const half* w, const float* x, const float* bias,
        float* y, int k, int n, int accumulate) {
    dense_gemv(w, x, bias, y, k, n, accumulate);
}

extern "C" __global__ void __launch_bounds__(256) dense_gemv_bf16(const __nv_bfloat16* w, const float* x,
        const float* bias, float* y, int k, int n, int accumulate) {
    dense_gemv(w, x, bias, y, k, n, accumulate);
}

extern "C" __global__ void __launch_bounds__(256) dense_gemv_f32(const float* w, const float* x, const float* bias,
        float* y, int k, int n, int accumulate) {
    dense_gemv(w, x, bias, y, k, n, accumulate);
}

// Prefill / all-position logits: y[M, N] (+)= x[M, K] . W^T + bias with the shared 64x64 tile.
// Grid: (ceil(N / 64), ceil(M / 64)); block: 256.
template <typename T>
__device__ __forceinline__ void dense_gemm(const T* __restrict__ w, const float* __restrict__ x,
                                           const float* __restrict__ bias, float* __restrict__ y, int m_total, int k,
                                           int n, int accumulate) {
    __shared__ GemmTiles t;
    int n0 = blockIdx.x * TILE_N;
    int m0 = blockIdx.y * TILE_M;
    float acc[4][4] = {};
    for (int k0 = 0; k0 < k; k0 += TILE_K) {
        load_activation_tile(t, x, m_total, k, k, m0, k0);
#pragma unroll
        for (int it = 0; it < TILE_N * TILE_K / 256; it++) {
            int e = threadIdx.x + 256 * it;
            int c = e / TILE_K;
            int kk = e - c * TILE_K;
            int col = n0 + c;
            int gk = k0 + kk;
            t.ws[kk][c] = (col < n && gk < k) ? to_float(w[(size_t) col * k + gk]) : 0.0f;
        }
        __syncthreads();
        tile_multiply(t, acc);
        __syncthreads();
    }
    store_tile(acc, y, bias, m_total, n, m0, n0, accumulate);
}

extern "C" __global__ void __launch_bounds__(256) dense_gemm_f16(const half* w, const float* x, const float* bias,
        float* y, int m_total, int k, int n, int accumulate) {
    dense_gemm(w, x, bias, y, m_total, k, n, accumulate);
}

extern "C" __global__ void __launch_bounds__(256) dense_gemm_bf16(const __nv_bfloat16* w, const float* x,
        const float* bias, float* y, int m_total, int k, int n, int accumulate) {
    dense_gemm(w, x, bias, y, m_total, k, n, accumulate);
}

extern "C" __global__ void __launch_bounds__(256) dense_gemm_f32(const float* w, const float* x, const float* bias,
        float* y, int m_total, int k, int n, int accumulate) {
    dense_gemm(w, x, bias, y, m_total, k, n, accumulate);
}
