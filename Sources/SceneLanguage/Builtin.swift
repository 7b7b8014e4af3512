import GradFlow

/// The functions every scene can call.
enum Builtin: String, CaseIterable {
    case exp, ln, log, sin, cos, tan, tanh, sigmoid, relu, sqrt, abs
    case pow, max, min
    case sum, mean
    case grad, randn

    /// The named mathematical constants. A scene that defines one of these names anywhere
    /// (`e = exp(u)`, `input pi = 3`) means its own node by it everywhere instead, so scenes
    /// written before the constants existed keep their meaning.
    static let constants: [String: Double] = ["pi": Double.pi, "π": Double.pi, "e": 2.718281828459045]

    /// The engine op of a one-argument function (`log` is `ln`).
    var unaryOp: Op? {
        switch self {
        case .exp: .exp
        case .ln, .log: .ln
        case .sin: .sin
        case .cos: .cos
        case .tan: .tan
        case .tanh: .tanh
        case .sigmoid: .sigmoid
        case .relu: .relu
        case .sqrt: .sqrt
        case .abs: .abs
        default: nil
        }
    }

    /// Whether `count` arguments are accepted.
    func accepts(_ count: Int) -> Bool {
        switch self {
        case .pow, .max, .min, .grad: count == 2
        case .sum, .mean: count >= 1
        default: count == 1
        }
    }

    /// How many arguments, for a diagnostic: "one argument", "two arguments (y, x)", …
    var expectedArguments: String {
        switch self {
        case .pow: "two arguments (base, exponent)"
        case .max, .min: "two arguments"
        case .grad: "two arguments: a value and the node to differentiate by, e.g. `grad(y, x)`"
        case .sum, .mean: "at least one argument"
        case .randn: "one argument, an integer seed, e.g. `randn(7)`"
        default: "one argument"
        }
    }
}
