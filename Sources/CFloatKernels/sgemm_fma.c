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

static void dgemm_portable(const double *a, const double *b, double *c, size_t m, size_t k, size_t n) {
    memset(c, 0, m * n * sizeof(double));
    for (size_t i = 0; i < m; i++) {
        double *row = c + i * n;
        for (size_t p = 0; p < k; p++) {
            const double value = a[i * k + p];
            const double *brow = b + p * n;
            for (size_t j = 0; j < n; j++) row[j] = fma(value, brow[j], row[j]);
        }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

// Lane masks for a tile `width` columns wide (0...16): lanes below the width are on.
__attribute__((target("avx2,fma")))
static inline void tile_masks(size_t width, __m256i *low, __m256i *high) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i w = _mm256_set1_epi32((int)width);
    *low = _mm256_cmpgt_epi32(w, lanes);
    *high = _mm256_cmpgt_epi32(w, _mm256_add_epi32(lanes, _mm256_set1_epi32(8)));
}

// Four rows of C by a tile of up to 16 columns, accumulated in registers over all of k: eight
// independent FMA chains, and C written once. Each element is still fma(a, b, sum) over p in
// order from 0, so the result is the same bit for bit as one chain per element.
__attribute__((target("avx2,fma")))
static void sgemm_avx2(const float *a, const float *b, float *c, size_t m, size_t k, size_t n) {
    for (size_t j0 = 0; j0 < n; j0 += 16) {
        const size_t width = n - j0 < 16 ? n - j0 : 16;
        __m256i low, high;
        tile_masks(width, &low, &high);
        size_t i = 0;
        for (; i + 4 <= m; i += 4) {
            __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
            __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
            const float *a0 = a + i * k, *a1 = a0 + k, *a2 = a1 + k, *a3 = a2 + k;
            for (size_t p = 0; p < k; p++) {
                const float *brow = b + p * n + j0;
                const __m256 b0 = _mm256_maskload_ps(brow, low), b1 = _mm256_maskload_ps(brow + 8, high);
                __m256 v = _mm256_broadcast_ss(a0 + p);
                c00 = _mm256_fmadd_ps(v, b0, c00); c01 = _mm256_fmadd_ps(v, b1, c01);
                v = _mm256_broadcast_ss(a1 + p);
                c10 = _mm256_fmadd_ps(v, b0, c10); c11 = _mm256_fmadd_ps(v, b1, c11);
                v = _mm256_broadcast_ss(a2 + p);
                c20 = _mm256_fmadd_ps(v, b0, c20); c21 = _mm256_fmadd_ps(v, b1, c21);
                v = _mm256_broadcast_ss(a3 + p);
                c30 = _mm256_fmadd_ps(v, b0, c30); c31 = _mm256_fmadd_ps(v, b1, c31);
            }
            float *row = c + i * n + j0;
            _mm256_maskstore_ps(row, low, c00); _mm256_maskstore_ps(row + 8, high, c01); row += n;
            _mm256_maskstore_ps(row, low, c10); _mm256_maskstore_ps(row + 8, high, c11); row += n;
            _mm256_maskstore_ps(row, low, c20); _mm256_maskstore_ps(row + 8, high, c21); row += n;
            _mm256_maskstore_ps(row, low, c30); _mm256_maskstore_ps(row + 8, high, c31);
        }
        for (; i < m; i++) {
            __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
            const float *a0 = a + i * k;
            for (size_t p = 0; p < k; p++) {
                const float *brow = b + p * n + j0;
                const __m256 v = _mm256_broadcast_ss(a0 + p);
                c0 = _mm256_fmadd_ps(v, _mm256_maskload_ps(brow, low), c0);
                c1 = _mm256_fmadd_ps(v, _mm256_maskload_ps(brow + 8, high), c1);
            }
            float *row = c + i * n + j0;
            _mm256_maskstore_ps(row, low, c0);
            _mm256_maskstore_ps(row + 8, high, c1);
        }
    }
}

// Lane masks for a double tile `width` columns wide (0...8).
__attribute__((target("avx2,fma")))
static inline void double_tile_masks(size_t width, __m256i *low, __m256i *high) {
    const __m256i lanes = _mm256_setr_epi64x(0, 1, 2, 3);
    const __m256i w = _mm256_set1_epi64x((long long)width);
    *low = _mm256_cmpgt_epi64(w, lanes);
    *high = _mm256_cmpgt_epi64(w, _mm256_add_epi64(lanes, _mm256_set1_epi64x(4)));
}

// The double kernel: four rows by a tile of up to 8 columns in registers, as sgemm_avx2.
__attribute__((target("avx2,fma")))
static void dgemm_avx2(const double *a, const double *b, double *c, size_t m, size_t k, size_t n) {
    for (size_t j0 = 0; j0 < n; j0 += 8) {
        const size_t width = n - j0 < 8 ? n - j0 : 8;
        __m256i low, high;
        double_tile_masks(width, &low, &high);
        size_t i = 0;
        for (; i + 4 <= m; i += 4) {
            __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd(), c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
            __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd(), c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
            const double *a0 = a + i * k, *a1 = a0 + k, *a2 = a1 + k, *a3 = a2 + k;
            for (size_t p = 0; p < k; p++) {
                const double *brow = b + p * n + j0;
                const __m256d b0 = _mm256_maskload_pd(brow, low), b1 = _mm256_maskload_pd(brow + 4, high);
                __m256d v = _mm256_broadcast_sd(a0 + p);
                c00 = _mm256_fmadd_pd(v, b0, c00); c01 = _mm256_fmadd_pd(v, b1, c01);
                v = _mm256_broadcast_sd(a1 + p);
                c10 = _mm256_fmadd_pd(v, b0, c10); c11 = _mm256_fmadd_pd(v, b1, c11);
                v = _mm256_broadcast_sd(a2 + p);
                c20 = _mm256_fmadd_pd(v, b0, c20); c21 = _mm256_fmadd_pd(v, b1, c21);
                v = _mm256_broadcast_sd(a3 + p);
                c30 = _mm256_fmadd_pd(v, b0, c30); c31 = _mm256_fmadd_pd(v, b1, c31);
            }
            double *row = c + i * n + j0;
            _mm256_maskstore_pd(row, low, c00); _mm256_maskstore_pd(row + 4, high, c01); row += n;
            _mm256_maskstore_pd(row, low, c10); _mm256_maskstore_pd(row + 4, high, c11); row += n;
            _mm256_maskstore_pd(row, low, c20); _mm256_maskstore_pd(row + 4, high, c21); row += n;
            _mm256_maskstore_pd(row, low, c30); _mm256_maskstore_pd(row + 4, high, c31);
        }
        for (; i < m; i++) {
            __m256d c0 = _mm256_setzero_pd(), c1 = _mm256_setzero_pd();
            const double *a0 = a + i * k;
            for (size_t p = 0; p < k; p++) {
                const double *brow = b + p * n + j0;
                const __m256d v = _mm256_broadcast_sd(a0 + p);
                c0 = _mm256_fmadd_pd(v, _mm256_maskload_pd(brow, low), c0);
                c1 = _mm256_fmadd_pd(v, _mm256_maskload_pd(brow + 4, high), c1);
            }
            double *row = c + i * n + j0;
            _mm256_maskstore_pd(row, low, c0);
            _mm256_maskstore_pd(row + 4, high, c1);
        }
    }
}

// One level for eight rows: gathers the nodes' fields and the rows' values, and picks the child.
__attribute__((target("avx2,fma")))
static inline __m256i tree_step8(const vigil_tree_node *nodes, const float *x, __m256i index, __m256i rows) {
    const int *fields = (const int *)nodes;
    const __m256i offset = _mm256_slli_epi32(index, 2);
    const __m256 threshold = _mm256_i32gather_ps((const float *)fields, offset, 4);
    const __m256i feature_and_flag = _mm256_i32gather_epi32(fields + 1, offset, 4);
    const __m256i first_child = _mm256_i32gather_epi32(fields + 2, offset, 4);
    const __m256i feature = _mm256_and_si256(feature_and_flag, _mm256_set1_epi32(0x7fffffff));
    const __m256 value = _mm256_i32gather_ps(x, _mm256_add_epi32(rows, feature), 4);
    const __m256 less_or_equal = _mm256_cmp_ps(value, threshold, _CMP_LE_OQ);
    const __m256 not_greater = _mm256_cmp_ps(value, threshold, _CMP_NGT_UQ);
    const __m256 flag = _mm256_castsi256_ps(_mm256_srai_epi32(feature_and_flag, 31));
    const __m256i goes_true = _mm256_castps_si256(_mm256_or_ps(less_or_equal, _mm256_and_ps(flag, not_greater)));
    // goes_true is -1 or 0: first_child + 1 + goes_true is first_child when true, first_child + 1 when not.
    return _mm256_add_epi32(_mm256_add_epi32(first_child, _mm256_set1_epi32(1)), goes_true);
}

__attribute__((target("avx2,fma")))
static void tree_walk_block_avx2(const vigil_tree_node *nodes, const int *roots, const int *depths, int trees,
                             const float *x, size_t columns, int count, int *stops) {
    int offsets[VIGIL_TREE_BLOCK];
    for (int lane = 0; lane < VIGIL_TREE_BLOCK; lane++) offsets[lane] = (lane < count ? lane : count - 1) * (int)columns;
    const __m256i rows0 = _mm256_loadu_si256((const __m256i *)offsets);
    const __m256i rows1 = _mm256_loadu_si256((const __m256i *)(offsets + 8));
    const __m256i rows2 = _mm256_loadu_si256((const __m256i *)(offsets + 16));
    const __m256i rows3 = _mm256_loadu_si256((const __m256i *)(offsets + 24));
    // Four groups in flight hide the gathers' latency; a short block runs the two it needs.
    const int groups = count > 16 ? 4 : 2;
    for (int tree = 0; tree < trees; tree++) {
        __m256i i0 = _mm256_set1_epi32(roots[tree]), i1 = i0, i2 = i0, i3 = i0;
        if (groups == 4) {
            for (int level = 0; level < depths[tree]; level++) {
                i0 = tree_step8(nodes, x, i0, rows0);
                i1 = tree_step8(nodes, x, i1, rows1);
                i2 = tree_step8(nodes, x, i2, rows2);
                i3 = tree_step8(nodes, x, i3, rows3);
            }
        } else {
            for (int level = 0; level < depths[tree]; level++) {
                i0 = tree_step8(nodes, x, i0, rows0);
                i1 = tree_step8(nodes, x, i1, rows1);
            }
        }
        _mm256_storeu_si256((__m256i *)(stops + tree * VIGIL_TREE_BLOCK), i0);
        _mm256_storeu_si256((__m256i *)(stops + tree * VIGIL_TREE_BLOCK + 8), i1);
        _mm256_storeu_si256((__m256i *)(stops + tree * VIGIL_TREE_BLOCK + 16), i2);
        _mm256_storeu_si256((__m256i *)(stops + tree * VIGIL_TREE_BLOCK + 24), i3);
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

void vigil_dgemm_fma_portable(const double *a, const double *b, double *c, size_t m, size_t k, size_t n) {
    if (m == 0 || n == 0) return;
    dgemm_portable(a, b, c, m, k, n);
}

void vigil_dgemm_fma(const double *a, const double *b, double *c, size_t m, size_t k, size_t n) {
    if (m == 0 || n == 0) return;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (cpu_has_avx2_fma()) {
        dgemm_avx2(a, b, c, m, k, n);
        return;
    }
#endif
    dgemm_portable(a, b, c, m, k, n);
}

int vigil_tree_walk_block(const vigil_tree_node *nodes, const int *roots, const int *depths, int trees,
                      const float *x, size_t columns, int count, int *stops) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (count >= 1 && count <= VIGIL_TREE_BLOCK && cpu_has_avx2_fma()) {
        tree_walk_block_avx2(nodes, roots, depths, trees, x, columns, count, stops);
        return 1;
    }
#endif
    (void)nodes; (void)roots; (void)depths; (void)trees; (void)x; (void)columns; (void)count; (void)stops;
    return 0;
}
