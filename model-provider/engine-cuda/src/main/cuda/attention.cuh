// Causal grouped-query attention over the fp16 KV cache (engine-facts §3.2), flash-attention style: keys and values
// stream through shared memory in tiles of 32, each query keeps a running maximum, sum and weighted value sum
// (online softmax, fp32), so no score row is ever stored and 16K-token contexts need no more memory than short ones.
//
// A block is 8 warps = 8 consecutive query rows of one head; a warp is one query row. Within a key tile, lane j
// computes the score of key j (q . k * 1/sqrt(d), as AttentionJob), the warp takes the tile's maximum and sum with
// shuffles, then every lane accumulates the values of its own dims (lane + 32 i). For decode (one query row) the
// keys are split across grid.z so that enough blocks run; each split writes (max, sum, acc) and attention_combine
// merges them. Grid: (ceil(rows / 8), heads, splits); block: 256; head_dim <= 256 and even.
#pragma once
#include "common.cuh"

#define ATT_WARPS 8
#define ATT_KEYS 32
#define ATT_MAX_DIM 256
#define ATT_MAX_DPL (ATT_MAX_DIM / 32)

extern "C" __global__ void __launch_bounds__(256) attention(
        const float* __restrict__ q, const half* __restrict__ kcache, const half* __restrict__ vcache,
        float* __restrict__ out, float* __restrict__ part_max, float* __restrict__ part_sum,
        float* __restrict__ part_acc, int rows, int pos0, int heads, int kv_heads, int head_dim, float scale,
        int split_len) {
    // keys and values as half2, rows padded by one word so that lane j reading key j hits its own bank
    extern __shared__ __align__(16) unsigned char smem[];
    int hd2 = head_dim >> 1;
    int stride2 = hd2 + 1;
    half2* ks = reinterpret_cast<half2*>(smem);
    half2* vs = ks + ATT_KEYS * stride2;
    float* qs = reinterpret_cast<float*>(vs + ATT_KEYS * stride2);

    int warp = threadIdx.x >> 5;
    int lane = threadIdx.x & 31;
    int h = blockIdx.y;
    int kvh = h / (heads / kv_heads);
    int hidden = heads * head_dim;
    int kv_dim = kv_heads * head_dim;
    int m = blockIdx.x * ATT_WARPS + warp;
    bool active = m < rows;
    int pos = pos0 + m; // this query's position: it sees keys 0..pos
    int last_row = min(rows - 1, (int) blockIdx.x * ATT_WARPS + ATT_WARPS - 1);
    int k_begin = blockIdx.z * split_len;
    int k_end = min(k_begin + split_len, pos0 + last_row + 1);

    float* qrow = qs + warp * head_dim;
    if (active) {
        for (int i = lane; i < head_dim; i += 32) qrow[i] = q[(size_t) m * hidden + h * head_dim + i];
    }
    float run_max = -INFINITY;
    float run_sum = 0.0f;
    float acc[ATT_MAX_DPL];
#pragma unroll
    for (int i = 0; i < ATT_MAX_DPL; i++) acc[i] = 0.0f;
    int dpl = head_dim >> 5; // dims per lane when head_dim is a multiple of 32; the remainder handled by guards
    if (dpl * 32 < head_dim) dpl++;

    for (int t0 = k_begin; t0 < k_end; t0 += ATT_KEYS) {
        __syncthreads(); // the previous tile is consumed (and qs written, on the first pass)
        for (int e = threadIdx.x; e < ATT_KEYS * hd2; e += blockDim.x) {
            int j = e / hd2;
            int i = e - j * hd2;
            int key = t0 + j;
            half2 kv = __float2half2_rn(0.0f);
            half2 vv = kv;
            if (key < k_end) {
                size_t at = (size_t) key * kv_dim + kvh * head_dim;
                kv = reinterpret_cast<const half2*>(kcache + at)[i];
                vv = reinterpret_cast<const half2*>(vcache + at)[i];
            }
            ks[j * stride2 + i] = kv;
            vs[j * stride2 + i] = vv;
        }
        __syncthreads();
        if (!active) continue;
        int key = t0 + lane;
        float score = -INFINITY;
        if (key < k_end && key <= pos) {
            const half2* kr = ks + lane * stride2;
            float dot = 0.0f;
            for (int i = 0; i < hd2; i++) {
                float2 kf = __half22float2(kr[i]);
                dot += qrow[2 * i] * kf.x + qrow[2 * i + 1] * kf.y;
            }
            score = dot * scale;
        }
        float tile_max = warp_max(score);
        if (tile_max == -INFINITY) continue; // no key of this tile is visible to this query (uniform per warp)
        float new_max = fmaxf(run_max, tile_max);
        float p = score == -INFINITY ? 0.0f : expf(score - new_max);
        float correction = expf(run_max - new_max); // 0 on the first visible tile (run_max = -inf)
        run_sum = run_sum * correction + warp_sum(p);
        run_max = new_max;
#pragma unroll
        for (int i = 0; i < ATT_MAX_DPL; i++) acc[i] *= correction;
        const half* vh = reinterpret_cast<const half*>(vs);
        for (int j = 0; j < ATT_KEYS; j++) {
            float pj = __shfl_sync(FULL_MASK, p, j);
            if (pj == 0.0f) continue; // uniform across the warp
            const half* vrow = vh + j * (2 * stride2);
#pragma unroll
            for (int i = 0; i < ATT_MAX_DPL; i++) {
                int d = lane + 32 * i;
                if (i < dpl && d < head_dim) acc[i] += pj * __half2float(vrow[d]);
            }
        }
    }
    if (!active) return;
    size_t o = (size_t) m * hidden + h * head_dim;
    if (gridDim.z == 1) {
        float inv = 1.0f / run_sum;
#pragma unroll
        for (int i = 0; i < ATT_MAX_DPL; i++) {
            int d = lane + 32 * i;
            if (i < dpl && d < head_dim) out[o + d] = acc[i] * inv;
        }
    } else {
        size_t slot = ((size_t) m * heads + h) * gridDim.z + blockIdx.z;
        if (lane == 0) {
            part_max[slot] = run_max;
            part_sum[slot] = run_sum;
        }
#pragma unroll
        for (int i = 0; i < ATT_MAX_DPL; i++) {
            int d = lane + 32 * i;
            if (i < dpl && d < head_dim) part_acc[slot * head_dim + d] = acc[i];
        }
    }
}

// Merges the key splits of attention: out = sum_s acc_s e^(max_s - M) / sum_s sum_s e^(max_s - M).
// Grid: (rows, heads); block: head_dim rounded up to 32.
extern "C" __global__ void attention_combine(const float* __restrict__ part_max, const float* __restrict__ part_sum,
                                             const float* __restrict__ part_acc, float* __restrict__ out, int heads,
                                             int head_dim, int splits) {
    int m = blockIdx.x;
    int h = blockIdx.y;
    int d = threadIdx.x;
    size_t base = ((size_t) m * heads + h) * splits;
    float mx = -INFINITY;
    for (int s = 0; s < splits; s++) mx = fmaxf(mx, part_max[base + s]);
    float total = 0.0f;
    float value = 0.0f;
    for (int s = 0; s < splits; s++) {
        float pm = part_max[base + s];
        if (pm == -INFINITY) continue; // a split with no visible key
        float wgt = expf(pm - mx);
        total += part_sum[base + s] * wgt;
        if (d < head_dim) value += part_acc[(base + s) * head_dim + d] * wgt;
    }
    if (d < head_dim) out[(size_t) m * heads * head_dim + h * head_dim + d] = value / total;
}
