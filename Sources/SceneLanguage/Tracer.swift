import GradFlow

/// Runs a parsed scene once and records every node: the tracer.
///
/// Statements run in order at trace time; loops are unrolled, `if` takes one branch on the
/// current values, and each function call inlines its body. This file holds the state and the
/// statements; expressions are in `Tracer+Expressions.swift`, names and groups in
/// `Tracer+Annotations.swift`.
struct Tracer {
    /// The names visible in one function call (or at the top level).
    struct Scope {
        /// The function this scope belongs to (nil at the top level); locals are named `f.s`.
        var function: String?
        /// 0 at the top level, 1 + the function's index in ``NameSlots/functions`` in a call.
        var functionNumber = 0
        /// What each name is bound to, by its slot (``NameSlots``); a slot past the end is unbound.
        var slots: [Slot] = []
        /// Where each top-level input or constant was declared (declared once only).
        var declarations: [String: Int] = [:]
    }

    /// A name's binding in one scope.
    struct Slot {
        var term: Term?
        /// A loop variable: a plain number that cannot be assigned.
        var isLoopVariable = false
    }

    let source: SourceText
    let limits: SceneLimits
    let functions: [String: FunctionDefinition]
    /// Every name and call of the program, resolved once (see ``NameSlots``).
    var nameSlots: NameSlots
    /// The base name (in the graph's table of names) of an assignment to each slot, for each
    /// function number (``Scope/functionNumber``): `v` at the top level, `f.v` in `f`. Filled
    /// on first use; ``unknownBase`` until then.
    var assignedBases: [NodeNames.Base] = []
    static let unknownBase = NodeNames.Base.max
    /// Binding arrays of calls that have returned, reused by the next call.
    var spareSlots: [[Slot]] = []
    /// Every name assigned or declared anywhere, with the offset of its first definition, to
    /// tell "defined further down" from "defined only in a block that did not run" from "unknown".
    let definitions: Definitions
    /// Values that replace the declared values of these inputs (see `Scene.parse`).
    var inputValues: [String: Double] = [:]
    /// What to suggest for a name that is never defined (differs for `gradflow eval`).
    var unknownNameHint: (String) -> String = Tracer.defaultUnknownNameMessage

    static func defaultUnknownNameMessage(_ name: String) -> String {
        "unknown name `\(name)`; define it first, e.g. `input \(name) = 1`"
    }

    var graph = Graph()
    var scopes = [Scope()]
    var inputs: [NamedNode] = []
    var title: (text: String, start: Int)?
    /// False while deciding a condition or a count: values are computed, nothing is recorded.
    var recording = true
    /// How many nodes have been given each base name (by its index in the graph's table of
    /// names), for versions `v`, `v₂`, `v₃`.
    var versionCounts: [Int] = []
    /// Names to give unnamed nodes at the end (`randn(7)`), unless an assignment names them.
    var pendingNames: [NodeID: String] = [:]
    var openGroups: [Int] = []
    /// The label template of each call site's group, by the offset of the call.
    var callLabels: [Int: GroupList.Template] = [:]
    var groupedUpTo = 0
    /// Loop iterations, calls and `grad`s so far (each one a group), against `maxNodes`.
    var groupsOpened = 0
    var callDepth = 0
    var evaluationDepth = 0
    /// The bound on `evaluationDepth` for the stack the tracer runs on.
    var evaluationLimit = Tracer.maxEvaluationDepth
    /// The step a `train` block records, for its group label (nil: the last).
    var trainingStepLabel: Int?
    /// Whether to stop right after the `train` block (a training run's steps need nothing after it).
    var stopsAfterTraining = false
    /// Set when ``stopsAfterTraining`` has stopped the scene.
    var finishedEarly = false
    /// The loss a `train` body's `minimize` named, in the step being recorded.
    var minimized: NamedNode?
    /// What the `train` block said, once it has run.
    var trainingOutcome: TrainingBlockOutcome?
    /// Whether an `output` statement has named the loss, already an output through `minimize`.
    var lossOutputRepeated = false
    /// While declaring an input or constant, `randn(seed)` is a plain number (an initial weight).
    var randnIsANumber = false

    init(source: SourceText, limits: SceneLimits, program: Program) {
        self.source = source
        self.limits = limits
        self.functions = program.functions
        definitions = Tracer.definitions(program)
        nameSlots = NameSlots(program)
        scopes[0].slots = Array(repeating: Slot(), count: nameSlots.count)
        assignedBases = Array(repeating: Tracer.unknownBase, count: (nameSlots.functions.count + 1) * nameSlots.count)
    }

    /// Every name that a statement of the program defines: declarations, assignments, loop
    /// variables and function parameters.
    static func definedNames(_ program: Program) -> Set<String> {
        let found = definitions(program)
        return Set(found.first.keys).union(found.loopVariables.keys)
    }

    /// Where names are defined: the first statement that assigns or declares each, and apart
    /// from those the `for` loops whose variable a name is (it exists only inside its loop).
    struct Definitions {
        var first: [String: Int] = [:]
        var loopVariables: [String: Int] = [:]
    }

    /// Where each name is first defined (offsets in the source).
    static func definitions(_ program: Program) -> Definitions {
        var names = Definitions()
        collectDefinedNames(program.statements, into: &names)
        for function in program.functions.values {
            for parameter in function.parameters { note(parameter, in: &names.first) }
            collectDefinedNames(function.body, into: &names)
        }
        return names
    }

    private static func note(_ name: Located<String>, in names: inout [String: Int]) {
        names[name.value] = Swift.min(names[name.value] ?? .max, name.start)
    }

    private static func collectDefinedNames(_ statements: [Statement], into names: inout Definitions) {
        for statement in statements {
            switch statement {
            case .input(let declarations), .constant(let declarations):
                for declaration in declarations { note(declaration.name, in: &names.first) }
            case .assign(let name, _, _): note(name, in: &names.first)
            case .repeatLoop(_, let body, _): collectDefinedNames(body, into: &names)
            case .train(let block): collectDefinedNames(block.body, into: &names)
            case .forLoop(let variable, _, _, _, let body, _):
                note(variable, in: &names.loopVariables)
                collectDefinedNames(body, into: &names)
            case .conditional(_, let then, let otherwise):
                collectDefinedNames(then, into: &names)
                collectDefinedNames(otherwise ?? [], into: &names)
            default: break
            }
        }
    }

    /// Why a name the scene defines has no value where it is used.
    enum Undefined {
        /// Its first definition comes later in the file.
        case furtherDown
        /// It is defined only inside a block that did not run (`repeat 0`, an empty range, an
        /// `if` branch not taken).
        case inBlockNotRun
        /// It is only ever the variable of the `for` loop on this line.
        case loopVariable(line: Int)

        static let blockNotRun = "it is defined only inside a block that did not run: a loop that ran 0 times or an `if` branch not taken"
    }

    /// Why `name`, used at `offset`, has no value there; nil when the scene never defines it.
    func whyUndefined(_ name: String, at offset: Int) -> Undefined? {
        if let first = definitions.first[name] { return first > offset ? .furtherDown : .inBlockNotRun }
        return definitions.loopVariables[name].map { .loopVariable(line: source.line(of: $0)) }
    }

    func error(_ message: String, at offset: Int) -> Diagnostic {
        source.diagnostic(at: offset, message)
    }

    // MARK: Statements

    /// Runs statements in order; returns the value of a `return`, which ends the enclosing call.
    mutating func execute(_ statements: [Statement]) throws(Diagnostic) -> Term? {
        for statement in statements {
            if let returned = try execute(statement) { return returned }
            if finishedEarly { return nil }
        }
        return nil
    }

    private mutating func execute(_ statement: Statement) throws(Diagnostic) -> Term? {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        if evaluationDepth > evaluationLimit { throw tooDeep(at: statement.start) }
        switch statement {
        case .title(let text, let start):
            if let previous = title {
                throw error("the scene already has a title (line \(source.line(of: previous.start)))", at: start)
            }
            title = (text, start)
        case .input(let declarations):
            for (name, value) in declarations { try declare(name, value, as: .input) }
        case .constant(let declarations):
            for (name, value) in declarations { try declare(name, value, as: .constant) }
        case .assign(let name, let compound, let value):
            try assign(name, compound: compound, value: value)
        case .output(let names):
            for name in names {
                let node = try lookupNode(name, "be an output")
                try requireScalarOutput(node, name)
                // `minimize loss` has made the loss an output already; the first `output loss` says it again.
                if !lossOutputRepeated, trainingOutcome?.loss == NamedNode(name: name.value, node: node) {
                    lossOutputRepeated = true
                    continue
                }
                graph.annotations.outputs.append(NamedNode(name: name.value, node: node))
            }
        case .note(let name, let text):
            let node = try lookupNode(name, "have a note")
            let combined = graph.annotations.notes[node].map { $0 + "\n" + text } ?? text
            // Several notes on one node are joined, so the limit on a note applies to the whole.
            if combined.unicodeScalars.count > limits.maxStringLength {
                throw error("the notes on `\(name.value)` add up to more than \(limits.maxStringLength) characters, the limit for a note", at: name.start)
            }
            graph.annotations.notes[node] = combined
        case .function:
            break  // functions were collected by the parser
        case .repeatLoop(let countExpression, let body, let start):
            let count = try traceTimeInteger(countExpression, "a repeat count", countsIterations: true)
            guard count >= 0 else {
                throw error("a repeat count cannot be negative (it is \(count))", at: countExpression.range.lowerBound)
            }
            try checkIterations(count, at: start)
            let template = graph.annotations.groups.template(.repeatIteration(count: count))
            for iteration in stride(from: 1, through: count, by: 1) {
                if let returned = try inGroup(template, number: iteration, at: start, { (tracer) throws(Diagnostic) in
                    try tracer.execute(body)
                }) {
                    return returned
                }
            }
        case .forLoop(let variable, let fromExpression, let toExpression, let inclusive, let body, let start):
            let from = try traceTimeInteger(fromExpression, "the start of a range", countsIterations: true)
            let to = try traceTimeInteger(toExpression, "the end of a range", countsIterations: true)
            let last = inclusive ? to : to - 1
            if last >= from { try checkIterations(last - from + 1, at: start) }
            let slot = nameSlots.slot(variable.value, at: variable.start)
            let saved = binding(slot, inScope: scopes.count - 1)
            bind(slot, Slot(term: saved.term, isLoopVariable: true), inScope: scopes.count - 1)
            defer { bind(slot, saved, inScope: scopes.count - 1) }
            if last >= from {
                let template = graph.annotations.groups.template(.forIteration(variable: variable.value))
                for value in from...last {
                    bind(slot, Slot(term: .number(Double(value)), isLoopVariable: true), inScope: scopes.count - 1)
                    if let returned = try inGroup(template, number: value, at: start, { (tracer) throws(Diagnostic) in
                        try tracer.execute(body)
                    }) {
                        return returned
                    }
                }
            }
        case .conditional(let condition, let then, let otherwise):
            if try decide(condition) {
                return try execute(then)
            } else if let otherwise {
                return try execute(otherwise)
            }
        case .return(let value, _):
            return try evaluate(value)
        case .train(let block):
            try executeTraining(block)
        case .minimize(let name):
            try executeMinimize(name)
        }
        return nil
    }

    /// `input x = 2` or `const c = 3`: a fresh name for a new leaf.
    private mutating func declare(_ name: Located<String>, _ value: Expression, as op: Op) throws(Diagnostic) {
        let keyword = op == .input ? "input" : "const"
        if let previous = scopes[0].declarations[name.value] {
            throw error("`\(name.value)` is already declared on line \(source.line(of: previous)); an input or constant is declared once only", at: name.start)
        }
        let slot = nameSlots.slot(name.value, at: name.start)
        if binding(slot, inScope: 0).term != nil {
            throw error("`\(name.value)` is already defined above; declare \(keyword)s before using their names", at: name.start)
        }
        let node: NodeID
        if let tensor = try declaredTensor(value, keyword: keyword, name: name.value) {
            node = graph.appendTensorLeaf(op, op == .input ? overridden(tensor, name.value) : tensor)
            if graph.tensorStorage.elementCount > limits.maxTensorElements { throw tooManyTensorElements(at: name.start) }
        } else {
            randnIsANumber = true
            let declared = try evaluate(value)
            randnIsANumber = false
            guard case .number(let number) = declared else {
                throw error("the value of \(keyword) `\(name.value)` must be a number, e.g. `\(keyword) \(name.value) = 2`; it cannot depend on other nodes", at: value.range.lowerBound)
            }
            node = graph.appendLeaf(op, value: op == .input ? inputValues[name.value] ?? number : number)
        }
        try checkNodeLimit(at: name.start)
        giveName(name.value, to: node)
        scopes[0].declarations[name.value] = name.start
        bind(slot, Slot(term: .node(node)), inScope: 0)
        if op == .input { inputs.append(NamedNode(name: name.value, node: node)) }
    }

    /// `v = e` or `v op= e`: binds `v` to a new version (or, for a value that is already a named
    /// node, to that node).
    private mutating func assign(_ name: Located<String>, compound: ArithmeticOperator?, value: Expression) throws(Diagnostic) {
        let slot = nameSlots.slot(name.value, at: name.start)
        if binding(slot, inScope: scopes.count - 1).isLoopVariable {
            throw error("`\(name.value)` is a loop variable and cannot be assigned", at: name.start)
        }
        var term: Term
        if let compound {
            let current = try lookup(name)
            let operand = try evaluate(value)
            term = try combine(compound, current, operand, at: name.start)
        } else {
            term = try evaluate(value)
        }
        if recording {
            if case .number(let number) = term {
                // A plain number becomes a named constant leaf, so that it is a node of the graph.
                term = .node(graph.appendLeaf(.constant, value: number))
                try checkNodeLimit(at: name.start)
            }
            if case .node(let node) = term, !graph.annotations.names.isNamed(node) {
                pendingNames[node] = nil
                giveName(assignedBase(slot), to: node)
            }
        }
        bind(slot, Slot(term: term), inScope: scopes.count - 1)
    }

    /// A trace-time number (a count or a range bound): computed without recording, then
    /// required to be a whole number.
    /// - Parameter countsIterations: whether the number is a loop's (its message then names
    ///   `--max-nodes`, which bounds iterations; a dimension or an index has other limits).
    mutating func traceTimeInteger(_ expression: Expression, _ what: String, countsIterations: Bool = false) throws(Diagnostic) -> Int {
        let value = try valueWithoutRecording(expression)
        guard value.isFinite, value.rounded() == value else {
            throw error("\(what) must be a whole number, but it is \(NumberFormat.shortest.string(value))", at: expression.range.lowerBound)
        }
        guard Swift.abs(value) < 1e15 else {
            let limit = countsIterations ? " (and a scene makes at most \(limits.maxNodes) loop iterations, calls and nodes; --max-nodes raises that)" : ""
            throw error("\(what) is out of range: it must be below 10^15 in size, but it is \(NumberFormat.shortest.string(value))" + limit,
                at: expression.range.lowerBound)
        }
        return Int(value)
    }

    /// Stops a loop before it starts if its iterations alone would cross the limit, so that
    /// `repeat 1000000000000 { }` fails at once instead of after a million empty iterations.
    private mutating func checkIterations(_ count: Int, at offset: Int) throws(Diagnostic) {
        let limit = "the limit of \(limits.maxNodes) loop iterations, calls and nodes (raise it with --max-nodes)"
        if count > limits.maxNodes {
            throw error("this loop would run \(count) times, beyond \(limit)", at: offset)
        }
        if count > limits.maxNodes - groupsOpened {
            throw error("this loop would take the scene beyond \(limit)", at: offset)
        }
    }
}
