/// The built-in functions that make or reshape tensors; the elementwise ones are the op table's.
enum TensorFunction: String, CaseIterable {
    case zeros, ones, full, linspace, transpose, softmax
    case logSoftmax = "log_softmax", logSumExp = "logsumexp"
    case reshape

    /// How many positional arguments it takes.
    var argumentCounts: ClosedRange<Int> {
        switch self {
        case .zeros, .ones: 1...4
        case .full: 2...5
        case .linspace: 3...3
        case .transpose, .softmax, .logSoftmax, .logSumExp: 1...1
        case .reshape: 2...5
        }
    }

    var expectedArguments: String {
        switch self {
        case .zeros, .ones: "1 to 4 dimensions, e.g. `\(rawValue)(2, 3)`"
        case .full: "a value and 1 to 4 dimensions, e.g. `full(0.5, 3)`"
        case .linspace: "three arguments (start, stop, count), e.g. `linspace(-7, 7, 200)`"
        case .transpose: "one argument, a matrix"
        case .softmax, .logSoftmax, .logSumExp: "one tensor, and optionally `axis:`"
        case .reshape: "a tensor and 1 to 4 dimensions, e.g. `reshape(x, 2, 3)`"
        }
    }
}

extension Builtin {
    /// The functions that take `axis:`.
    static let takesAxis: Set<String> = ["sum", "mean", "max", "softmax", "log_softmax", "logsumexp"]

    /// What is wrong with the named argument `name:` in a call of `function`, if anything.
    static func namedArgumentProblem(_ name: String, in function: String, isUserFunction: Bool) -> String? {
        if isUserFunction {
            return "`\(function)` is a function of the scene; its arguments are given by position, not as `\(name):`"
        }
        guard name == "axis" else {
            return "unknown named argument `\(name):`; the only one is `axis:`, of sum, mean, max, softmax, log_softmax and logsumexp"
        }
        guard takesAxis.contains(function) else {
            return "`\(function)` takes no `axis:`; only sum, mean, max, softmax, log_softmax and logsumexp do"
        }
        return nil
    }
}
