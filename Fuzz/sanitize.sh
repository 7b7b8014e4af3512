#!/bin/sh
# `make sanitize`: the whole test suite under AddressSanitizer, then under ThreadSanitizer.
#
# Each sanitizer builds into its own scratch directory (.build-asan, .build-tsan, both
# gitignored), and the end-to-end CLI tests run the gradflow binary of that same build
# (GRADFLOW_BINARY), so the binary is checked too, not only the libraries.
# SANITIZERS="address" runs one of them only.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for sanitizer in ${SANITIZERS:-address thread}; do
    skip=""
    case $sanitizer in
        address) scratch=.build-asan ;;
        # ScaleTests sweeps a 4M-node graph on one thread: minutes under TSan, and on this
        # toolchain its trace recycling once crashed the TSan runtime itself (a SEGV in
        # TracePartAlloc, then a deadlock reporting it). It has no threads to check; ASan runs it.
        thread) scratch=.build-tsan; skip="--skip ScaleTests" ;;
        *) echo "sanitize.sh: unknown sanitizer $sanitizer" >&2; exit 2 ;;
    esac
    echo "== swift test --sanitize=$sanitizer (build in $scratch)"
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
    # Leak reports are off: Swift's runtime keeps metadata caches alive until exit on purpose.
    GRADFLOW_BINARY="$root/$scratch/debug/gradflow" \
    ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=1" \
    TSAN_OPTIONS="halt_on_error=1" \
        swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" $skip
done
echo "sanitize: clean under ${SANITIZERS:-address thread}"
