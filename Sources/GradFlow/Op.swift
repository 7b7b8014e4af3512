/// The operations a recorded node can have.
///
/// Ops whose name ends in `Constant` (or starts with `constant`) carry one plain number, the
/// node's ``Graph/parameters`` entry, so that a literal such as the `2` in `x^2` or the `0.5` in
/// `v * 0.5` is part of the op rather than a node of its own: it gets no adjoint and no row in
/// the trace, exactly as in the survey's tables.
public enum Op: UInt8, CaseIterable, Sendable {
    /// A differentiable leaf; its gradient is reported.
    case input
    /// A named constant leaf; it gets an adjoint like every node but is not reported.
    case constant

    case add, subtract, multiply, divide, negate
    /// `a ^ b` with both a node: partials `b·a^(b−1)` and `a^b·ln a`.
    case power
    /// `a ^ c`: the power rule alone, so a negative base never produces NaN.
    case powerConstant
    /// `c ^ a`: partial `c^a · ln c`.
    case constantPower
    /// `a + c` (also `a − c`, stored with `c` negated).
    case addConstant
    /// `c − a`.
    case constantSubtract
    /// `c · a`.
    case multiplyConstant
    /// `a / c`.
    case divideByConstant
    /// `c / a`.
    case constantDivide

    case exp, ln, sin, cos, tan, tanh, sigmoid, relu, sqrt, abs
    case max, min
    /// Variadic `sum(a, b, …)` and `mean(a, b, …)`.
    case sum, mean

    /// Whether the node is a leaf (no operands).
    @inlinable public var isLeaf: Bool { self == .input || self == .constant }

    /// Whether the op carries a constant parameter.
    @inlinable public var hasParameter: Bool {
        switch self {
        case .powerConstant, .constantPower, .addConstant, .constantSubtract,
             .multiplyConstant, .divideByConstant, .constantDivide:
            return true
        default:
            return false
        }
    }

    /// The function name as written in a scene, for the unary functions.
    public var functionName: String? {
        switch self {
        case .exp: "exp"
        case .ln: "ln"
        case .sin: "sin"
        case .cos: "cos"
        case .tan: "tan"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .relu: "relu"
        case .sqrt: "sqrt"
        case .abs: "abs"
        case .max: "max"
        case .min: "min"
        case .sum: "sum"
        case .mean: "mean"
        case .power: "pow"
        default: nil
        }
    }

    /// A short symbol for pictures: `×`, `+`, `tanh`, …
    public var symbol: String {
        switch self {
        case .input: "input"
        case .constant: "const"
        case .add, .addConstant, .sum: self == .sum ? "sum" : "+"
        case .subtract, .constantSubtract: "−"
        case .multiply, .multiplyConstant: "×"
        case .divide, .divideByConstant, .constantDivide: "÷"
        case .negate: "−"
        case .power, .powerConstant, .constantPower: "^"
        default: functionName ?? "\(self)"
        }
    }
}
