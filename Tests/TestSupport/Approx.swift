import Foundation
import GradFlow

/// Whether `actual` is within `relative` of `expected` (or within `absolute` near zero).
///
/// Never compare computed doubles with `==`; this is the one comparison the tests use.
public func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-12, absolute: Double = 1e-300) -> Bool {
    if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
    if actual.isInfinite || expected.isInfinite { return actual == expected }
    return Swift.abs(actual - expected) <= Swift.max(absolute, relative * Swift.max(Swift.abs(actual), Swift.abs(expected)))
}

/// The central difference (f(x+h) − f(x−h)) / 2h, with h scaled to x: an independent
/// estimate of f′(x) with error O(h²), good to about 1e-7 relative for smooth f.
public func centralDifference(at x: Double, step: Double? = nil, _ f: (Double) -> Double) -> Double {
    let h = step ?? 1e-5 * Swift.max(1, Swift.abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)
}

/// The directory holding the repository (found from this source file's path).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
