#ifndef VIGIL_CMALLOCTUNING_SHIM_H
#define VIGIL_CMALLOCTUNING_SHIM_H

#if defined(__GLIBC__) || (defined(__linux__) && __has_include(<malloc.h>))
#include <malloc.h>
#endif

// Keeps glibc from serving a batch's buffers (a few hundred KiB at 1000 rows) with fresh mmap pages
// and from trimming them back to the kernel between requests, so a 1000-row request does not
// page-fault its buffers in again each time. Blocks above 2 MiB (a 100,000-row body) are still
// mmap'd and go back when freed, and a thread arena's free top above 1 MiB is trimmed, so the
// resident set returns to its level after large requests (`MemoryReturnTests`). A no-op where
// mallopt does not exist. `vigil serve` calls it from `ProcessMemory`; `bench/engine.sh` measures
// the batch paths with it.
static inline void vigil_keep_freed_memory(void) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 2 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
}

// Gives free pages between live blocks, and the main heap's free top, back to the kernel: what the
// thresholds above leave after a large request body has come and gone.
static inline void vigil_trim_freed_memory(void) {
#if defined(M_TRIM_THRESHOLD)
    malloc_trim(0);
#endif
}
#endif
