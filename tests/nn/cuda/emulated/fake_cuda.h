#pragma once

// Test-only CPU stand-ins for the CUDA runtime and cuBLAS calls the CUDA
// backend makes, and CPU versions of its kernel launchers built from the same
// per-element code (nn/cuda/cuda_kernel_math.h). Linked into
// test_nn_cuda_emulated in place of the real libraries, they let the whole
// backend (buffers, layouts, GEMM conventions, layer order, FP16 storage) run
// against the Eigen reference on a machine without a GPU. Only thread mapping
// and real cuBLAS remain for the GPU run to check.

namespace hoshi::test {

// Whether the emulated device claims to be integrated (zero-copy path) or
// discrete (copy path). Default: discrete.
void setEmulatedIntegrated(bool integrated);

// GEMMs run by the emulated cuBLAS since the start (to prove the path ran).
long emulatedGemmCount();

}  // namespace hoshi::test
