#include <cblas.h>
#include <lapacke.h>

/* Exported by OpenBLAS (pthreads builds) but not declared by its headers: joins its server
   threads. rgs runs OpenBLAS on one thread and calls it once (BLAS.useOneThread). */
int blas_thread_shutdown_(void);
