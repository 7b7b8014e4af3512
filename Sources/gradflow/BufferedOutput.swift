@preconcurrency import Glibc

/// Whether everything written through the C library's buffered stdout (Swift's `print`, used
/// by ArgumentParser for `--help`) reached its destination: flushes it and checks its error flag.
func bufferedOutputSucceeded() -> Bool {
    fflush(stdout) == 0 && ferror(stdout) == 0
}
