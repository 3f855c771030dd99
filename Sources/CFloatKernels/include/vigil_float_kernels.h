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

/// A tree node as ONNXCompactTreeNode lays it out: float threshold; feature, with the sign bit set
/// when a missing value goes true; the first of the two children (true, then false); unused here.
typedef struct {
    float threshold;
    int feature_and_flag;
    int first_child;
    int original;
} vigil_tree_node;

/// Rows per block of vigil_tree_walk_block.
#define VIGIL_TREE_BLOCK 32

/// Walks `count` rows (1...VIGIL_TREE_BLOCK, `columns` floats apart from `x`) down each of `trees`
/// trees, tree t from roots[t] for depths[t] steps, the rows in groups of eight with AVX2 gathers, and
/// writes the node row r stops on in tree t to stops[t * VIGIL_TREE_BLOCK + r] (stops holds
/// trees * VIGIL_TREE_BLOCK). A step goes to first_child when
/// value <= threshold (or the value is NaN and the flag is set), else to first_child + 1; leaves must
/// step to themselves. Returns 0, writing nothing, without AVX2.
int vigil_tree_walk_block(const vigil_tree_node *nodes, const int *roots, const int *depths, int trees,
                      const float *x, size_t columns, int count, int *stops);

/// 1 when vigil_sgemm_fma runs the AVX2+FMA kernel on this CPU.
int vigil_sgemm_uses_avx2(void);

#endif
