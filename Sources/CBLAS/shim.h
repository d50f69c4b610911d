#include <cblas.h>
#include <lapacke.h>

/// Asks the CPU to bring the cache line holding p closer (never faults, whatever the address).
/// This and rgs_prefetch_for_write are the module's only C helpers: Swift has no prefetch.
static inline void rgs_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// rgs_prefetch for a line that will be written (fetched ready to be modified).
static inline void rgs_prefetch_for_write(const void *p) { __builtin_prefetch(p, 1, 3); }
