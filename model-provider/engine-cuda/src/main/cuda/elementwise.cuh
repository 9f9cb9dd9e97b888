// Row-wise and element-wise kernels of the LLaMA forward pass (engine-facts §3.2). Activations are fp32 [rows, dim]
// row-major, as in the CPU backend, so that the two backends round alike.
#pragma once
#include "common.cuh"

// x[m, :] = table[tokens[m], :] converted to fp32. Grid: rows; any block size.
template <typename T>
__device__ __forceinline__ void embed_rows(const T* __restrict__ table, const int* __restrict__ tokens,
                                           float* __restrict__ x, int hidden) {
    int m = blockIdx.x;
    const T* src = table + (size_t) tokens[m] * hidden;
    float* dst = x + (size_t) m * hidden;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) dst[i] = to_float(src[i]);
}

extern "C" __global__ void embed_f16(const half* table, const int* tokens, float* x, int hidden) {
    embed_rows(table, tokens, x, hidden);
}

extern "C" __global__ void embed_bf16(const __nv_bfloat16* table, const int* tokens, float* x, int hidden) {
    embed_rows(table, tokens, x, hidden);
}

extern "C" __global__ void embed_f32(const float* table, const int* tokens, float* x, int hidden) {
    embed_rows(table, tokens, x, hidden);
}

// HF LlamaRMSNorm: out = w * (x * 1/sqrt(mean(x^2) + eps)), the sum of squares in double like CpuForward.rmsNorm.
// Grid: rows; block: a multiple of 32 up to 1024.
extern "C" __global__ void rms_norm(const float* __restrict__ x, const float* __restrict__ w,
                                    float* __restrict__ out, int hidden, double eps) {
    const float* xr = x + (size_t) blockIdx.x * hidden;
    float* orow = out + (size_t) blockIdx.x * hidden;
    double ss = 0.0;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
        float a = xr[i];
        ss += (double) (a * a);
    }
    ss = block_sum(ss);
    float inv = (float) (1.0 / sqrt(ss / hidden + eps));
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) orow[i] = w[i] * (xr[i] * inv);
}

// RoPE with HF rotate_half (engine-facts §3.3) on q [rows, heads*d] in place and on k [rows, kvHeads*d]; then the
// rotated keys and the values go to the fp16 cache at positions pos0 + m. cos/sin [rows, d/2] come from the host,
// computed in double by RopeAngles (every scaling mode, mscale folded in). Grid: rows; any block size.
extern "C" __global__ void rope_store(float* __restrict__ q, const float* __restrict__ k,
                                      const float* __restrict__ v, const float* __restrict__ cos_t,
                                      const float* __restrict__ sin_t, half* __restrict__ kcache,
                                      half* __restrict__ vcache, int heads, int kv_heads, int head_dim, int pos0) {
    int m = blockIdx.x;
    int half_dim = head_dim >> 1;
    int hidden = heads * head_dim;
    int kv_dim = kv_heads * head_dim;
    const float* c = cos_t + (size_t) m * half_dim;
    const float* s = sin_t + (size_t) m * half_dim;
    float* qr = q + (size_t) m * hidden;
    for (int t = threadIdx.x; t < heads * half_dim; t += blockDim.x) {
        int h = t / half_dim;
        int i = t - h * half_dim;
        float* base = qr + h * head_dim;
        float a = base[i];
        float b = base[i + half_dim];
        base[i] = a * c[i] - b * s[i];
        base[i + half_dim] = b * c[i] + a * s[i];
    }
    const float* kr = k + (size_t) m * kv_dim;
    const float* vr = v + (size_t) m * kv_dim;
    size_t at = (size_t) (pos0 + m) * kv_dim;
    for (int t = threadIdx.x; t < kv_heads * half_dim; t += blockDim.x) {
        int h = t / half_dim;
        int i = t - h * half_dim;
        int o = h * head_dim + i;
        float a = kr[o];
        float b = kr[o + half_dim];
        kcache[at + o] = __float2half_rn(a * c[i] - b * s[i]);
        kcache[at + o + half_dim] = __float2half_rn(b * c[i] + a * s[i]);
    }
    for (int i = threadIdx.x; i < kv_dim; i += blockDim.x) vcache[at + i] = __float2half_rn(vr[i]);
}

// gate = silu(gate) * up, element-wise over n values.
extern "C" __global__ void silu_mul(float* __restrict__ gate, const float* __restrict__ up, long long n) {
    long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float g = gate[i];
        gate[i] = g / (1.0f + expf(-g)) * up[i];
    }
}

// Act-order gather (engine-facts §2.2, ExLlamaV2 make_sequential): xg[m, r] = x[m, perm[r]], 0 for padding rows
// (perm -1). Grid: (ceil(kp / blockDim), rows).
extern "C" __global__ void gather_cols(const float* __restrict__ x, const int* __restrict__ perm,
                                       float* __restrict__ xg, int k, int kp) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    int m = blockIdx.y;
    if (r < kp) {
        int src = perm[r];
        xg[(size_t) m * kp + r] = src < 0 ? 0.0f : x[(size_t) m * k + src];
    }
}

// y[i] = (accumulate ? y[i] : 0) + sum over splits of partial[s, i] + bias[i]: the end of a split-K GEMV, with the
// residual add folded in. bias may be null. Grid: ceil(n / blockDim).
extern "C" __global__ void gemv_finish(const float* __restrict__ partial, int splits, const float* __restrict__ bias,
                                       float* __restrict__ y, int n, int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float s = 0.0f;
        for (int p = 0; p < splits; p++) s += partial[(size_t) p * n + i];
        if (bias != nullptr) s += bias[i];
        y[i] = accumulate ? y[i] + s : s;
    }
}
