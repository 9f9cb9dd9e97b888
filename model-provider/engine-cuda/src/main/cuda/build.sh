#!/usr/bin/env bash
# Compiles the CUDA kernels into the fatbin the jar carries and records the hash of the sources it was built from.
# Run it after changing any *.cu / *.cuh file here (or this script); CudaKernelImageTest fails until you do.
#
#   model-provider/engine-cuda/src/main/cuda/build.sh            (needs nvcc on the PATH, or NVCC=/path/to/nvcc)
#
# Output:
#   src/main/resources/io/yinghuo/model/engine/cuda/kernels.fatbin   cubins for sm_80, sm_86, sm_89, sm_90 and PTX
#                                                                    for compute_90 (newer GPUs JIT it); uncompressed
#                                                                    so that tests can find every kernel's name in it
#   src/main/resources/io/yinghuo/model/engine/cuda/kernels.sha256   SHA-256 of the sources (see source_hash below)
#   src/main/cuda/ptxas.txt                                          registers / shared memory / spills per kernel
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../resources/io/yinghuo/model/engine/cuda"
nvcc="${NVCC:-nvcc}"
mkdir -p "$out"

# SHA-256 over every source in byte order of its name: name, NUL, contents, NUL (CudaKernelImageTest recomputes it).
source_hash() {
    (cd "$here" && for f in $(LC_ALL=C ls -1 -- *.cu *.cuh build.sh | LC_ALL=C sort); do
        printf '%s\0' "$f"; cat -- "$f"; printf '\0'
    done) | sha256sum | cut -d' ' -f1
}

gencode=(
    -gencode=arch=compute_80,code=sm_80
    -gencode=arch=compute_86,code=sm_86
    -gencode=arch=compute_89,code=sm_89
    -gencode=arch=compute_90,code=sm_90
    -gencode=arch=compute_90,code=compute_90
)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$nvcc" -std=c++17 -O3 --fatbin -no-compress "${gencode[@]}" -Xptxas -v \
    -o "$tmp/kernels.fatbin" "$here/kernels.cu" 2> "$tmp/ptxas.raw"
# keep the figures, drop timing lines (they change from run to run)
grep -v -e 'Compile time' -e '^$' "$tmp/ptxas.raw" > "$here/ptxas.txt" || true
cp "$tmp/kernels.fatbin" "$out/kernels.fatbin"
version="$("$nvcc" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')"
printf '%s  sources\nnvcc %s\n' "$(source_hash)" "$version" > "$out/kernels.sha256"
echo "built $out/kernels.fatbin ($(wc -c < "$out/kernels.fatbin") bytes) with nvcc $version"
