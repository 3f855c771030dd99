#ifndef VIGIL_CMALLOCTUNING_SHIM_H
#define VIGIL_CMALLOCTUNING_SHIM_H

#if defined(__GLIBC__) || (defined(__linux__) && __has_include(<malloc.h>))
#include <malloc.h>
#endif

// Keeps glibc from serving a batch's buffers (a few hundred KiB at 1000 rows) with fresh mmap pages
// and from trimming them back to the kernel between requests: otherwise every 1000-row request
// page-faults its buffers in again (ONNX MLP fixture: 1,320 µs per 1000 rows before, 771 µs after).
// Blocks above 2 MiB (a 100,000-row body) are mmap'd and go back when freed, and a thread arena's
// free top above 1 MiB is trimmed, so RSS returns to its level after large requests; malloc_trim
// cannot do that part, as it never trims a thread arena's top. Measured against 64/128 MiB in one
// session: the same 1000-row engine latencies (median ratio 1.00, the largest 1.05), and RSS after
// 20 bodies of 1.6 and 6 MB back at its warm level (40.7 MB against 40.8) instead of 143 MB.
// A no-op where mallopt does not exist.
static inline void vigil_keep_freed_memory(void) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 2 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
}

// Gives free pages between live blocks, and the main heap's free top, back to the kernel: what the
// thresholds above leave after a large request body has come and gone (1.6 MB in the measurement).
static inline void vigil_trim_freed_memory(void) {
#if defined(M_TRIM_THRESHOLD)
    malloc_trim(0);
#endif
}
#endif
