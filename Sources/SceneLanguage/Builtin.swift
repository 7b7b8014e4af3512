import GradFlow

/// The functions every scene can call: each engine op with a scene name (its rule says which,
/// and how many arguments), and `grad` and `randn`, which the tracer builds itself.
enum Builtin: Equatable {
    case op(Op)
    case grad, randn
    /// A function that makes or reshapes tensors (`zeros`, `transpose`, `softmax`, …).
    case tensor(TensorFunction)

    /// The named mathematical constants. A scene that defines one of these names anywhere
    /// (`e = exp(u)`, `input pi = 3`) means its own node by it everywhere instead, so scenes
    /// written before the constants existed keep their meaning.
    static let constants: [String: Double] = ["pi": Double.pi, "π": Double.pi, "e": 2.718281828459045]

    /// The function a scene calls by `name`, if it is built in.
    init?(name: String) {
        if let op = Op.named(name) {
            self = .op(op)
        } else if name == "grad" {
            self = .grad
        } else if name == "randn" {
            self = .randn
        } else if let function = TensorFunction(rawValue: name) {
            self = .tensor(function)
        } else {
            return nil
        }
    }

    /// Every built-in name, for diagnostics: one-argument functions, then two-argument, then
    /// variadic ones, each in the engine's order, then `grad` and `randn`.
    static let names: [String] = {
        let named = Op.allCases.filter { !$0.rule.sceneNames.isEmpty }
        let byArity = [1, 2, nil].flatMap { arity in named.filter { $0.arity == arity } }
        return byArity.flatMap(\.rule.sceneNames) + ["grad", "randn"] + TensorFunction.allCases.map(\.rawValue)
    }()

    /// Whether `count` arguments are accepted.
    func accepts(_ count: Int) -> Bool {
        switch self {
        // `max(x)` of one tensor is its largest element.
        case .op(.max): count == 1 || count == 2
        case .op(let op): op.arity.map { $0 == count } ?? (count >= 1)
        case .grad: count == 2
        // `randn(seed)` is a number, `randn(seed, d1, …)` a tensor of that shape.
        case .randn: count >= 1 && count <= 5
        case .tensor(let function): function.argumentCounts.contains(count)
        }
    }

    /// How many arguments, for a diagnostic: "one argument", "two arguments (base, exponent)", …
    var expectedArguments: String {
        switch self {
        case .op(.max): return "two arguments, or one tensor"
        case .op(let op):
            guard let arity = op.arity else { return "at least one argument" }
            let roles = op.rule.operandRoles
            return (arity == 1 ? "one argument" : "two arguments") + (roles.isEmpty ? "" : " (\(roles.joined(separator: ", ")))")
        case .grad: return "two arguments: a value and the node to differentiate by, e.g. `grad(y, x)`"
        case .randn: return "an integer seed, then up to 4 dimensions for a tensor, e.g. `randn(7)` or `randn(7, 4, 3)`"
        case .tensor(let function): return function.expectedArguments
        }
    }
}
