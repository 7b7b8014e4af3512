#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock timings of repeated runs, summarised by their median.
///
/// The median, not the mean, because the machines this runs on are shared: a run that another
/// process interrupted is an outlier to ignore, not a cost to average in.
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
            let start = monotonicSeconds()
            let result = body()
            seconds.append(monotonicSeconds() - start)
            check(result)
        }
        return Timing(seconds: seconds)
    }
}

/// The monotonic clock in seconds: immune to the wall clock jumping on a virtual machine.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
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
