#ifndef VIGIL_FLOAT_KERNELS_H
#define VIGIL_FLOAT_KERNELS_H
#include <stddef.h>

/// c[m×n] = a[m×k] · b[k×n] (row-major), each output accumulated over k in order with one fused
/// multiply-add per step, rounded to float each time: the arithmetic of onnxruntime's MLAS kernels.
/// Uses AVX2+FMA when the CPU has them (checked once at run time), plain fmaf otherwise.
void vigil_sgemm_fma(const float *a, const float *b, float *c, size_t m, size_t k, size_t n);

/// The same product with the portable kernel only, whatever the CPU (tests check both paths).
void vigil_sgemm_fma_portable(const float *a, const float *b, float *c, size_t m, size_t k, size_t n);

/// The double product, each output accumulated over k in order with one fused multiply-add per step
/// (fma), AVX2+FMA where the CPU has them.
void vigil_dgemm_fma(const double *a, const double *b, double *c, size_t m, size_t k, size_t n);

/// The double product with the portable kernel only.
void vigil_dgemm_fma_portable(const double *a, const double *b, double *c, size_t m, size_t k, size_t n);

/// 1 when vigil_sgemm_fma runs the AVX2+FMA kernel on this CPU.
int vigil_sgemm_uses_avx2(void);

#endif
