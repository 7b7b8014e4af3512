import Foundation

/// The error of finite differences against the step h, measured against the AD derivative:
/// the picture every numerical-differentiation lecture draws.
///
/// Forward differences (f(x + h) − f(x)) / h have truncation error O(h) and rounding error
/// O(ε/h), so the total is smallest near h ≈ √ε ≈ 1.5e-8; central differences
/// (f(x + h) − f(x − h)) / 2h have truncation error O(h²), smallest near h ≈ ∛ε ≈ 6e-6 (both
/// for |x| and the derivatives near 1). The steps are absolute, as in `approx_fprime(x, f, epsilon)`.
public struct DifferenceSweep: Sendable {
    public var x: Double
    /// The derivative by automatic differentiation, the reference.
    public var automatic: Double
    public var steps: [Double]
    /// Error = |difference − automatic| / max(1, |automatic|), as `gradflow check` measures it.
    public var forwardErrors: [Double]
    public var centralErrors: [Double]

    /// Steps from 1e-1 to 1e-15, `perDecade` to a decade.
    public static func standardSteps(perDecade: Int = 10) -> [Double] {
        (0...(14 * perDecade)).map { pow(10, -1 - Double($0) / Double(perDecade)) }
    }

    /// Measures both differences at every step; `f` is the function traced at a moved input.
    public init(at x: Double, automatic: Double, steps: [Double] = DifferenceSweep.standardSteps(),
                f: (Double) throws -> Double) rethrows {
        self.x = x
        self.automatic = automatic
        self.steps = steps
        let centre = try f(x)
        let scale = Swift.max(1, Swift.abs(automatic))
        var forward: [Double] = [], central: [Double] = []
        for h in steps {
            let above = try f(x + h), below = try f(x - h)
            forward.append(Swift.abs((above - centre) / h - automatic) / scale)
            central.append(Swift.abs((above - below) / (2 * h) - automatic) / scale)
        }
        forwardErrors = forward
        centralErrors = central
    }

    /// The step with the smallest error (the largest such step when several tie).
    public static func best(_ steps: [Double], _ errors: [Double]) -> (step: Double, error: Double)? {
        var best: (step: Double, error: Double)?
        for (step, error) in zip(steps, errors) where error.isFinite {
            if best == nil || error < best!.error { best = (step, error) }
        }
        return best
    }

    public var bestForward: (step: Double, error: Double)? { Self.best(steps, forwardErrors) }
    public var bestCentral: (step: Double, error: Double)? { Self.best(steps, centralErrors) }
}
