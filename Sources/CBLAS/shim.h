#include <cblas.h>
#include <lapacke.h>

/// Asks the CPU to bring the cache line holding p closer (never faults, whatever the address).
/// With rgs_prefetch_for_write, the C helpers besides BLAS: Swift has no prefetch.
static inline void rgs_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// rgs_prefetch for a line that will be written (fetched ready to be modified).
static inline void rgs_prefetch_for_write(const void *p) { __builtin_prefetch(p, 1, 3); }
