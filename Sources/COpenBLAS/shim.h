// Debian's libopenblas-dev puts OpenBLAS's cblas.h behind the multiarch include directory
// (/usr/include/<triplet>/cblas.h, an alternatives link). The library itself is not linked:
// MatrixProduct opens libopenblas.so.0 at its first large product (see why there) and calls
// cblas_dgemm through a pointer of this type, checked against the header's declaration.
#include <cblas.h>

typedef __typeof__(cblas_dgemm) *gradflow_cblas_dgemm;
