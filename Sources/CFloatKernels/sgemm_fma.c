#include "vigil_float_kernels.h"
#include <math.h>
#include <string.h>

// Portable: fmaf is a single rounding everywhere (hardware where there is one).
static void sgemm_portable(const float *a, const float *b, float *c, size_t m, size_t k, size_t n) {
    memset(c, 0, m * n * sizeof(float));
    for (size_t i = 0; i < m; i++) {
        float *row = c + i * n;
        for (size_t p = 0; p < k; p++) {
            const float value = a[i * k + p];
            const float *brow = b + p * n;
            for (size_t j = 0; j < n; j++) row[j] = fmaf(value, brow[j], row[j]);
        }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static void sgemm_avx2(const float *a, const float *b, float *c, size_t m, size_t k, size_t n) {
    memset(c, 0, m * n * sizeof(float));
    const size_t wide = n & ~(size_t)7;
    for (size_t i = 0; i < m; i++) {
        float *row = c + i * n;
        for (size_t p = 0; p < k; p++) {
            const __m256 value = _mm256_set1_ps(a[i * k + p]);
            const float *brow = b + p * n;
            size_t j = 0;
            for (; j < wide; j += 8) {
                __m256 sum = _mm256_loadu_ps(row + j);
                sum = _mm256_fmadd_ps(value, _mm256_loadu_ps(brow + j), sum);
                _mm256_storeu_ps(row + j, sum);
            }
            const float scalar = a[i * k + p];
            for (; j < n; j++) row[j] = fmaf(scalar, brow[j], row[j]);
        }
    }
}

// Detected once when the library loads, before any thread can call the kernel.
static int has_avx2_fma = 0;

__attribute__((constructor))
static void detect_avx2_fma(void) {
    __builtin_cpu_init();
    has_avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static int cpu_has_avx2_fma(void) {
    return has_avx2_fma;
}
#endif

void vigil_sgemm_fma_portable(const float *a, const float *b, float *c, size_t m, size_t k, size_t n) {
    if (m == 0 || n == 0) return;
    sgemm_portable(a, b, c, m, k, n);
}

int vigil_sgemm_uses_avx2(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    return cpu_has_avx2_fma();
#else
    return 0;
#endif
}

void vigil_sgemm_fma(const float *a, const float *b, float *c, size_t m, size_t k, size_t n) {
    if (m == 0 || n == 0) return;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (cpu_has_avx2_fma()) {
        sgemm_avx2(a, b, c, m, k, n);
        return;
    }
#endif
    sgemm_portable(a, b, c, m, k, n);
}
