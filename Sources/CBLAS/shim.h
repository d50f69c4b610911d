#include <cblas.h>
#include <lapacke.h>

/// Asks the CPU to bring the cache line holding p, which will be written, into the L1 cache
/// ready to be modified (never faults, whatever the address). These prefetches are the module's
/// only C helpers: Swift has no prefetch.
static inline void rgs_prefetch_for_write(const void *p) { __builtin_prefetch(p, 1, 3); }

/// Asks the CPU to bring the cache line holding p, to be read, into the L2 cache only
/// (prefetcht1), leaving the L1 cache to data in use, such as lookup tables that fill it.
static inline void rgs_prefetch_to_l2(const void *p) { __builtin_prefetch(p, 0, 2); }
