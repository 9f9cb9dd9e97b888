// The one translation unit build.sh compiles into kernels.fatbin; the kernels live in the headers it includes.
#include "elementwise.cuh"
#include "gptq.cuh"
#include "dense.cuh"
#include "attention.cuh"
