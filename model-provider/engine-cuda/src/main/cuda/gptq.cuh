// GPTQ matrix products over the layout GptqLayout.java builds at load (engine-facts §2.2, §2.4):
//   rows of K stably sorted by g_idx and every group padded to whole words, K padded to a multiple of 32 rows;
//   qweight [words, N] uint32, word w holding sorted rows w*PER .. w*PER+PER-1 of column n at bit BITS*j;
//   meta [groups, N] uint32 = fp16 scale bits | zero << 16;
//   word_group [words]: the group of each word;
//   chunks [nchunks, 3]: (first word, end word, group), every chunk inside one group, at most 16 words.
// W[r, n] = scale * (q - zero). Activations arrive gathered (xg[r] = x[perm[r]], 0 on padding rows).
#pragma once
#include "common.cuh"

#define GEMV_COLS_PER_THREAD 4
#define GEMV_THREADS_X 32
#define GEMV_THREADS_Y 8

// Decode: y = xg . W for one activation row. Each thread owns 4 adjacent columns (one 16-byte load per word along
// N, coalesced across the warp: 512 bytes per warp and word) and a strided subset of the chunks; codes are
// dequantized in registers and accumulated in fp32 as sum_j x_j q_j, then scale * (sum - zero * sum_j x_j) per
// chunk, the CPU kernels' formula. Thread rows of a block reduce through shared memory; block row b of the grid
// writes partial[b, :], which gemv_finish sums. Grid: (ceil(N / 128), splits); block: (32, 8).
template <int BITS>
__device__ __forceinline__ void gptq_gemv(const uint32_t* __restrict__ qweight, const uint32_t* __restrict__ meta,
                                          const int* __restrict__ chunks, int nchunks,
                                          const float* __restrict__ xg, float* __restrict__ partial, int n) {
    constexpr int PER = 32 / BITS;
    constexpr uint32_t MASK = (1u << BITS) - 1u;
    __shared__ float4 red[GEMV_THREADS_Y][GEMV_THREADS_X];
    int col = (blockIdx.x * GEMV_THREADS_X + threadIdx.x) * GEMV_COLS_PER_THREAD;
    int slice = blockIdx.y * GEMV_THREADS_Y + threadIdx.y;
    int slices = gridDim.y * GEMV_THREADS_Y;
    float4 acc = make_float4(0.f, 0.f, 0.f, 0.f);
    if (col < n) {
        for (int c = slice; c < nchunks; c += slices) {
            int w0 = chunks[3 * c];
            int w1 = chunks[3 * c + 1];
            int g = chunks[3 * c + 2];
            float s0 = 0.f, s1 = 0.f, s2 = 0.f, s3 = 0.f, xs = 0.f;
            for (int w = w0; w < w1; w++) {
                uint4 q = __ldg(reinterpret_cast<const uint4*>(qweight + (size_t) w * n + col));
                const float4* xv4 = reinterpret_cast<const float4*>(xg + (size_t) w * PER);
                float xr[PER];
#pragma unroll
                for (int j = 0; j < PER / 4; j++) {
                    float4 t = xv4[j];
                    xr[4 * j] = t.x;
                    xr[4 * j + 1] = t.y;
                    xr[4 * j + 2] = t.z;
                    xr[4 * j + 3] = t.w;
                }
#pragma unroll
                for (int j = 0; j < PER; j++) {
                    float xj = xr[j];
                    xs += xj;
                    s0 += xj * (float) ((q.x >> (BITS * j)) & MASK);
                    s1 += xj * (float) ((q.y >> (BITS * j)) & MASK);
                    s2 += xj * (float) ((q.z >> (BITS * j)) & MASK);
                    s3 += xj * (float) ((q.w >> (BITS * j)) & MASK);
                }
            }
            uint4 mt = __ldg(reinterpret_cast<const uint4*>(meta + (size_t) g * n + col));
            acc.x += meta_scale(mt.x) * (s0 - meta_zero(mt.x) * xs);
            acc.y += meta_scale(mt.y) * (s1 - meta_zero(mt.y) * xs);
            acc.z += meta_scale(mt.z) * (s2 - meta_zero(mt.z) * xs);
            acc.w += meta_scale(mt.w) * (s3 - meta_zero(mt.w) * xs);
        }
    }
    red[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < n) {
        float4 t = red[0][threadIdx.x];
#pragma unroll
        for (int y = 1; y < GEMV_THREADS_Y; y++) {
            float4 u = red[y][threadIdx.x];
            t.x += u.x;
            t.y += u.y;
            t.z += u.z;
            t.w += u.w;
        }
        *reinterpret_cast<float4*>(partial + (size_t) blockIdx.y * n + col) = t;
    }
}

extern "C" __global__ void __launch_bounds__(256) gptq4_gemv(const uint32_t* qweight, const uint32_t* meta,
        const int* chunks, int nchunks, const float* xg, float* partial, int n) {
    gptq_gemv<4>(qweight, meta, chunks, nchunks, xg, partial, n);
}

extern "C" __global__ void __launch_bounds__(256) gptq8_gemv(const uint32_t* qweight, const uint32_t* meta,
        const int* chunks, int nchunks, const float* xg, float* partial, int n) {
    gptq_gemv<8>(qweight, meta, chunks, nchunks, xg, partial, n);
}

// Tiled fp32 GEMM shared by the GPTQ and dense kernels: 64x64 output tile per block of 256 threads (16 x 16), 32
// K-rows per step, each thread computing rows ty + 16 i and columns tx + 16 j (i, j < 4) so that shared-memory reads
// are conflict-free and global stores coalesce.
#define TILE_M 64
#define TILE_N 64
#define TILE_K 32

struct GemmTiles {
    float xs[TILE_K][TILE_M + 1]; // activations, transposed: xs[k][m]
    float ws[TILE_K][TILE_N + 1]; // weights: ws[k][n]
};

__device__ __forceinline__ void tile_multiply(const GemmTiles& t, float (&acc)[4][4]) {
    int tx = threadIdx.x & 15;
    int ty = threadIdx.x >> 4;
#pragma unroll 8
    for (int kk = 0; kk < TILE_K; kk++) {
        float a[4], b[4];
#pragma unroll
        for (int i = 0; i < 4; i++) a[i] = t.xs[kk][ty + 16 * i];
#pragma unroll
        for (int j = 0; j < 4; j++) b[j] = t.ws[kk][tx + 16 * j];
#pragma unroll
        for (int i = 0; i < 4; i++)
#pragma unroll
            for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];
    }
}

// Loads xs from x [m_total, ld] (row-major, K contiguous), columns k0 .. k0+31, zero outside [0, m_total) x [0, k).
__device__ __forceinline__ void load_activation_tile(GemmTiles& t, const float* __restrict__ x, int m_total, int ld,
                                                     int k, int m0, int k0) {
#pragma unroll
    for (int it = 0; it < TILE_M * TILE_K / 256; it++) {
        int e = threadIdx.x + 256 * it;
        int m = e / TILE_K;
        int kk = e - m * TILE_K;
        int gm = m0 + m;
        int gk = k0 + kk;
        t.xs[kk][m] = (gm < m_total && gk < k) ? x[(size_t) gm * ld + gk] : 0.0f;
    }
}

__device__ __forceinline__ void store_tile(const float (&acc)[4][4], float* __restrict__ y, const float* __restrict__ bias,
                                           int m_total, int n, int m0, int n0, int accumulate) {
    int tx = threadIdx.x & 15;
    int ty = threadIdx.x >> 4;
#pragma unroll
    for (int i = 0; i < 4; i++) {
        int m = m0 + ty + 16 * i;
        if (m >= m_total) continue;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int col = n0 + tx + 16 * j;
            if (col < n) {
                float v = acc[i][j] + (bias != nullptr ? bias[col] : 0.0f);
                size_t o = (size_t) m * n + col;
                y[o] = accumulate ? y[o] + v : v;
            }
        }
    }
}

// Prefill: y[M, N] (+)= xg[M, Kp] . W + bias, W dequantized tile by tile into shared memory (fp32, never
// materialized in global memory). Grid: (ceil(N / 64), ceil(M / 64)); block: 256.
template <int BITS>
__device__ __forceinline__ void gptq_gemm(const uint32_t* __restrict__ qweight, const uint32_t* __restrict__ meta,
                                          const int* __restrict__ word_group, const float* __restrict__ xg,
                                          const float* __restrict__ bias, float* __restrict__ y, int m_total, int kp,
                                          int n, int accumulate) {
    constexpr int PER = 32 / BITS;
    constexpr int WORDS = TILE_K / PER; // words per K step
    constexpr uint32_t MASK = (1u << BITS) - 1u;
    __shared__ GemmTiles t;
    int n0 = blockIdx.x * TILE_N;
    int m0 = blockIdx.y * TILE_M;
    float acc[4][4] = {};
    for (int k0 = 0; k0 < kp; k0 += TILE_K) {
        load_activation_tile(t, xg, m_total, kp, kp, m0, k0);
        int w0 = k0 / PER;
#pragma unroll
        for (int it = 0; it < WORDS * TILE_N / 256; it++) {
            int e = threadIdx.x + 256 * it;
            int wr = e / TILE_N;
            int c = e - wr * TILE_N;
            int col = n0 + c;
            uint32_t word = 0;
            float scale = 0.0f, zero = 0.0f;
            if (col < n) {
                word = __ldg(qweight + (size_t) (w0 + wr) * n + col);
                uint32_t mt = __ldg(meta + (size_t) word_group[w0 + wr] * n + col);
                scale = meta_scale(mt);
                zero = meta_zero(mt);
            }
#pragma unroll
            for (int j = 0; j < PER; j++) t.ws[wr * PER + j][c] = scale * ((float) ((word >> (BITS * j)) & MASK) - zero);
        }
        __syncthreads();
        tile_multiply(t, acc);
        __syncthreads();
    }
    store_tile(acc, y, bias, m_total, n, m0, n0, accumulate);
}

extern "C" __global__ void __launch_bounds__(256) gptq4_gemm(const uint32_t* qweight, const uint32_t* meta,
        const int* word_group, const float* xg, const float* bias, float* y, int m_total, int kp, int n,
        int accumulate) {
    gptq_gemm<4>(qweight, meta, word_group, xg, bias, y, m_total, kp, n, accumulate);
}

extern "C" __global__ void __launch_bounds__(256) gptq8_gemm(const uint32_t* qweight, const uint32_t* meta,
        const int* word_group, const float* xg, const float* bias, float* y, int m_total, int kp, int n,
        int accumulate) {
    gptq_gemm<8>(qweight, meta, word_group, xg, bias, y, m_total, kp, n, accumulate);
}
