// Shared helpers of the Yinghuo CUDA kernels. Every kernel is extern "C" so that its symbol name in the fatbin is
// the plain name the Java side looks up with cuModuleGetFunction (KernelNames.java lists them).
#pragma once
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <stdint.h>

#define FULL_MASK 0xffffffffu

__device__ __forceinline__ float to_float(half v) { return __half2float(v); }
__device__ __forceinline__ float to_float(__nv_bfloat16 v) { return __bfloat162float(v); }
__device__ __forceinline__ float to_float(float v) { return v; }

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
    return v;
}

// Sum over the whole block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
__device__ __forceinline__ double block_sum(double v) {
    __shared__ double partial[32];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    v = warp_sum(v);
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int warps = blockDim.x >> 5;
    double t = lane < warps ? partial[lane] : 0.0;
    t = warp_sum(t);
    __syncthreads(); // partial[] may be reused by a later call
    return t;
}

// GPTQ group header word, as the host packs it: fp16 scale bits in the low half, zero point (v1 "+1" applied) in
// the high half (engine-facts §1.4; the same word as the CPU's PackedGptq header).
__device__ __forceinline__ float meta_scale(uint32_t m) {
    return __half2float(__ushort_as_half((unsigned short) (m & 0xffffu)));
}

__device__ __forceinline__ float meta_zero(uint32_t m) {
    return (float) (m >> 16);
}
