// Debian's libopenblas-dev puts OpenBLAS's cblas.h behind the multiarch include directory
// (/usr/include/<triplet>/cblas.h, an alternatives link) and libopenblas.so beside it.
#include <cblas.h>

// OpenBLAS's own cblas.h declares this too; declared here as well so that the shim still builds
// where the alternatives link points at another CBLAS header.
void openblas_set_num_threads(int num_threads);
