import Foundation

// The one table of op rules. Each op states, in one place, its value and its local partial
// derivatives (numbers, for the recorded graph) and the same partials built as graph nodes
// (for derivatives of derivatives, in `Graph+Differentiate.swift`'s `partialTerm`).

extension Op {
    /// The value and the local partials ∂value/∂a and ∂value/∂b of a unary or binary op.
    ///
    /// - Parameters:
    ///   - a: the first operand's value.
    ///   - b: the second operand's value (ignored by unary ops).
    ///   - c: the op's constant parameter (ignored by ops without one).
    /// - Returns: the value and the partials; `db` is 0 for unary ops.
    @inlinable
    public func evaluate(_ a: Double, _ b: Double = 0, parameter c: Double = 0)
        -> (value: Double, da: Double, db: Double)
    {
        switch self {
        case .input, .constant: return (a, 0, 0)
        case .add: return (a + b, 1, 1)
        case .subtract: return (a - b, 1, -1)
        case .multiply: return (a * b, b, a)
        case .divide: return (a / b, 1 / b, -a / (b * b))
        case .negate: return (-a, -1, 0)
        case .power:
            let value = Foundation.pow(a, b)
            // The exponent's partial a^b·ln a is only defined for a > 0; at a == 0 the limit
            // along the real line is 0 whenever the value itself is 0.
            let db = value == 0 ? 0 : value * Foundation.log(a)
            return (value, b * Foundation.pow(a, b - 1), db)
        case .powerConstant:
            return (Foundation.pow(a, c), c == 0 ? 0 : c * Foundation.pow(a, c - 1), 0)
        case .constantPower:
            let value = Foundation.pow(c, a)
            return (value, value == 0 ? 0 : value * Foundation.log(c), 0)
        case .addConstant: return (a + c, 1, 0)
        case .constantSubtract: return (c - a, -1, 0)
        case .multiplyConstant: return (c * a, c, 0)
        case .divideByConstant: return (a / c, 1 / c, 0)
        case .constantDivide: return (c / a, -c / (a * a), 0)
        case .exp:
            let value = Foundation.exp(a)
            return (value, value, 0)
        case .ln: return (Foundation.log(a), 1 / a, 0)
        case .sin: return (Foundation.sin(a), Foundation.cos(a), 0)
        case .cos: return (Foundation.cos(a), -Foundation.sin(a), 0)
        case .tan:
            let value = Foundation.tan(a)
            return (value, 1 + value * value, 0)
        case .tanh:
            let value = Foundation.tanh(a)
            return (value, 1 - value * value, 0)
        case .sigmoid:
            let value = Op.logistic(a)
            return (value, value * (1 - value), 0)
        case .relu: return (a > 0 ? a : 0, a > 0 ? 1 : 0, 0)
        case .sqrt:
            let value = Foundation.sqrt(a)
            return (value, 0.5 / value, 0)
        case .abs: return (Swift.abs(a), a > 0 ? 1 : (a < 0 ? -1 : 0), 0)
        // Ties send the whole derivative to the first operand, as PyTorch's subgradient does not
        // split it either; documented in the README.
        case .max: return a >= b ? (a, 1, 0) : (b, 0, 1)
        case .min: return a <= b ? (a, 1, 0) : (b, 0, 1)
        case .sum, .mean:
            preconditionFailure("variadic ops are evaluated by Graph.appendVariadic")
        }
    }

    /// The logistic function, written so that it neither overflows nor loses precision for large |x|.
    @inlinable
    public static func logistic(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// How many operands a fixed-arity op takes (nil for the variadic `sum` and `mean`).
    public var arity: Int? {
        switch self {
        case .input, .constant: 0
        case .add, .subtract, .multiply, .divide, .power, .max, .min: 2
        case .sum, .mean: nil
        default: 1
        }
    }
}
