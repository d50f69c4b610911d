#include <cblas.h>
#include <lapacke.h>

/// Asks the CPU to bring the cache line holding p closer (never faults, whatever the address).
/// RGSNumerics's one C helper besides BLAS: Swift has no prefetch.
static inline void rgs_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
