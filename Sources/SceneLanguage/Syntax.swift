/// The syntax tree of a scene: what the parser produces and the tracer runs.
///
/// Positions are scalar offsets into the ``SourceText``. Runs of `+ −` and of `× ÷` are stored
/// flat (``Expression/Kind/chain(_:_:)``) rather than as a left-leaning tree, so a sum of a
/// thousand terms is one level deep: tree depth, and with it recursion depth, only grows with
/// real nesting (parentheses, unary minus, `^`, calls), which the parser limits.
struct Expression {
    indirect enum Kind {
        case number(Double)
        case name(String)
        case negate(Expression)
        /// `first op₁ e₁ op₂ e₂ …`, evaluated left to right.
        case chain(Expression, [ChainLink])
        case power(Expression, Expression)
        case call(Call)
        case comparison(Expression, Comparison, Expression)
        case logical(Logical, [Expression])
        case not(Expression)
        /// `[a, b, c]`: a tensor literal, or a stack of the entries' values.
        case list([Expression])
        /// `x[i]`, `A[i, j]`, `A[:, j]`.
        case index(Expression, [IndexEntry])
    }

    /// One entry between the brackets of an index: a position, or `:` for the whole axis.
    enum IndexEntry {
        case position(Expression)
        case all(start: Int)
    }

    /// One `op operand` step of a chain, with the operator's position.
    struct ChainLink {
        var op: ArithmeticOperator
        var operatorStart: Int
        var operand: Expression
    }

    var kind: Kind
    /// The scalar offsets the expression spans in the source.
    var range: Range<Int>

    /// Whether this is a condition (a comparison or `and or not`) rather than a value.
    var isCondition: Bool {
        switch kind {
        case .comparison, .logical, .not: true
        default: false
        }
    }
}

enum ArithmeticOperator: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    /// `A @ B`, at the precedence of `*` (as in Python).
    case matrixProduct = "@"
}

enum Comparison: String {
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="

    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .less: a < b
        case .lessEqual: a <= b
        case .greater: a > b
        case .greaterEqual: a >= b
        case .equal: a == b
        case .notEqual: a != b
        }
    }
}

enum Logical {
    case and, or
}

/// `name(arguments)`: a built-in or a user function.
struct Call {
    var name: String
    var nameStart: Int
    var arguments: [Expression]
    /// The offsets of the text between the parentheses, for group labels such as `f(x1, w1)`.
    var argumentsRange: Range<Int>
    /// Arguments given by name after the others: `axis: 0` in `sum(x, axis: 0)`.
    var namedArguments: [(name: Located<String>, value: Expression)] = []
}

/// A name with the offset it was written at.
struct Located<Value> {
    var value: Value
    var start: Int
}

/// One statement.
indirect enum Statement {
    case title(String, start: Int)
    case input([(name: Located<String>, value: Expression)])
    case constant([(name: Located<String>, value: Expression)])
    /// `v = e`, or `v op= e` when `compound` is set.
    case assign(Located<String>, compound: ArithmeticOperator?, value: Expression)
    case output([Located<String>])
    case note(Located<String>, String)
    case function(FunctionDefinition)
    case repeatLoop(count: Expression, body: [Statement], start: Int)
    case forLoop(variable: Located<String>, from: Expression, to: Expression, inclusive: Bool, body: [Statement], start: Int)
    case conditional(condition: Expression, then: [Statement], otherwise: [Statement]?)
    case `return`(Expression, start: Int)
    /// `train N steps, lr R { … }`: a training run (see ``TrainingBlock``).
    case train(TrainingBlock)
    /// `minimize loss` inside a `train` body: the node whose gradient updates the inputs.
    case minimize(Located<String>)
}

/// `train N steps, lr R, momentum M { …; minimize loss }`.
///
/// The body is recorded afresh on every step; after each step's backward sweep from the loss,
/// the inputs are updated outside the graph (``TrainingRun``).
struct TrainingBlock {
    var steps: Expression
    var learningRate: Expression
    var momentum: Expression?
    var body: [Statement]
    var start: Int
}

extension Statement {
    /// Where the statement starts, for diagnostics about the statement as a whole.
    var start: Int {
        switch self {
        case .title(_, let start), .repeatLoop(_, _, let start), .forLoop(_, _, _, _, _, let start), .return(_, let start):
            start
        case .train(let block):
            block.start
        case .input(let declarations), .constant(let declarations):
            declarations.first?.name.start ?? 0
        case .assign(let name, _, _), .note(let name, _), .minimize(let name):
            name.start
        case .output(let names):
            names.first?.start ?? 0
        case .function(let function):
            function.name.start
        case .conditional(let condition, _, _):
            condition.range.lowerBound
        }
    }
}

/// `fn name(a, b) = e` or `fn name(a, b) { …; return e }` (the first form is stored as the
/// second with a single `return`).
struct FunctionDefinition {
    var name: Located<String>
    var parameters: [Located<String>]
    var body: [Statement]
}

/// A parsed scene: its statements and its functions (functions are visible from anywhere in
/// the scene, so one may call another defined below it).
struct Program {
    var statements: [Statement]
    var functions: [String: FunctionDefinition]
}
