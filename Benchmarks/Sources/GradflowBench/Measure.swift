#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU-time timings of repeated runs, summarised by their median.
///
/// CPU time of this process (user + system, page faults included), not wall-clock time: on a
/// shared machine the wall clock also counts the time other processes held the core, and the
/// work measured here is single-threaded, so on an idle machine the two agree. The median, not
/// the mean, so that a run disturbed anyway (caches flushed by a neighbour) is ignored.
struct Timing {
    /// Seconds taken by each run, in the order they ran.
    let seconds: [Double]

    /// The middle run (the mean of the two middle ones for an even count).
    var median: Double {
        let sorted = seconds.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The fastest run: the best case, printed beside the median to show the spread.
    var fastest: Double { seconds.min() ?? 0 }

    /// Runs `body` once to warm caches and page in memory, then `runs` times under the clock.
    ///
    /// `body` returns a value that the caller checks, so the optimiser cannot drop the work.
    static func of<Result>(runs: Int, _ body: () -> Result, check: (Result) -> Void) -> Timing {
        check(body())
        var seconds: [Double] = []
        for _ in 0..<runs {
            let start = processSeconds()
            let result = body()
            seconds.append(processSeconds() - start)
            check(result)
        }
        return Timing(seconds: seconds)
    }
}

/// The CPU time this process has used, in seconds (immune to the wall clock jumping, too).
func processSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

#if canImport(Glibc)
private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// The process's peak resident set size so far, in bytes (getrusage's `ru_maxrss`).
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF_WHO, &usage)
    #if canImport(Darwin)
    return Int(usage.ru_maxrss)  // bytes on macOS
    #else
    return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
    #endif
}

/// Stops the suite with a one-line error when a computed number is wrong: a benchmark of a
/// wrong gradient measures nothing.
func verify(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        let line = "GradflowBench: error: \(message())\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        exit(1)
    }
}

/// Whether `actual` is within `relative` of `expected`.
func isNear(_ actual: Double, _ expected: Double, relative: Double) -> Bool {
    abs(actual - expected) <= relative * max(abs(actual), abs(expected))
}
