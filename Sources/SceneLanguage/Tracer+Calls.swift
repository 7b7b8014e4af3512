import GradFlow

/// Calls: the built-in functions, `grad`, `randn`, and user functions (inlined, grouped).
extension Tracer {
    mutating func evaluateCall(_ call: Call, range: Range<Int>) throws(Diagnostic) -> Term {
        let builtin: Builtin
        switch nameSlots.callee(call) {
        case .function(let index): return try callFunction(index, call)
        case .builtin(let found): builtin = found
        case .unknown: throw error("cannot call `\(call.name)` with \(call.arguments.count) arguments", at: call.nameStart)
        }
        guard builtin.accepts(call.arguments.count) else {
            // The checker has already rejected unknown functions and wrong argument counts.
            throw error("cannot call `\(call.name)` with \(call.arguments.count) arguments", at: call.nameStart)
        }
        switch builtin {
        case .op(.power):
            return try powerOfTerms(try evaluate(call.arguments[0]), try evaluate(call.arguments[1]), at: call.nameStart)
        case .op(let op) where op.arity == 1 && call.arguments.count == 1 && call.namedArguments.isEmpty:
            // One argument, one op: no array of terms (this runs for every `relu(…)` in a loop).
            let term = try evaluate(call.arguments[0])
            if isTensor(term) { return try applyToTensors(op, [term], call) }
            return graph.apply(op, term)
        case .op(let op):
            var terms: [Term] = []
            for argument in call.arguments { terms.append(try evaluate(argument)) }
            if callsForTensors(op, terms, call) { return try applyToTensors(op, terms, call) }
            return apply(op, terms)
        case .grad:
            return try gradient(call, range: range)
        case .randn where call.arguments.count > 1:
            guard recording, let tensor = try constructedTensor(call) else { throw tensorWithoutRecording(at: call.nameStart) }
            return constantLeaf(tensor, label: "randn(\(groupText(call.argumentsRange)))")
        case .randn:
            return try standardNormal(call)
        case .tensor(let function):
            guard recording else { throw tensorWithoutRecording(at: call.nameStart) }
            return try callTensorFunction(function, call)
        }
    }

    /// An op applied to its arguments, folded to a number when every argument is one. The
    /// operands of binary and variadic ops become nodes (they have no constant-parameter form).
    private mutating func apply(_ op: Op, _ terms: [Term]) -> Term {
        let numbers = terms.compactMap { term -> Double? in
            if case .number(let x) = term { x } else { nil }
        }
        switch op.arity {
        case 1:
            return graph.apply(op, terms[0])
        case 2:
            if numbers.count == 2 { return .number(op.evaluate(numbers[0], numbers[1]).value) }
            return .node(graph.append(op, node(for: terms[0]), node(for: terms[1])))
        default:
            if numbers.count == terms.count { return .number(op.combine(numbers)) }
            return .node(graph.appendVariadic(op, terms.map { node(for: $0) }))
        }
    }

    /// `grad(y, v)`: ∂y/∂v built as nodes (grouped under the call), so it can be differentiated
    /// again.
    ///
    /// `v` may be any node: an input, a constant or a computed node. For a computed node the
    /// result is its adjoint in the sweep from `y`: only the paths from `v` to `y` count, and
    /// the nodes `v` itself depends on are held fixed. For an input this is the ordinary partial
    /// derivative, exactly as before computed nodes were allowed.
    private mutating func gradient(_ call: Call, range: Range<Int>) throws(Diagnostic) -> Term {
        guard recording else {
            throw error("`grad` cannot be used in a condition or a count; assign it to a name first", at: call.nameStart)
        }
        let y = try evaluate(call.arguments[0])
        guard case .name(let name) = call.arguments[1].kind else {
            throw error("the second argument of `grad` must be the name of a node", at: call.arguments[1].range.lowerBound)
        }
        let v = try lookupNode(Located(value: name, start: call.arguments[1].range.lowerBound), "be the variable of `grad`")
        guard case .node(let output) = y else { return .number(0) }
        if graph.hasTensors { return try tensorGradient(of: output, withRespectTo: v, call) }
        return try inGroup("grad(\(groupText(call.argumentsRange)))", at: call.nameStart) { (tracer) throws(Diagnostic) in
            tracer.graph.differentiate(output, withRespectTo: v)
        }
    }

    /// `randn(seed)`: a constant leaf holding the standard-normal number for that seed.
    private mutating func standardNormal(_ call: Call) throws(Diagnostic) -> Term {
        let seed = try randnSeed(call.arguments[0])
        let value = StandardNormal.sample(seed: seed)
        guard recording, !randnIsANumber else { return .number(value) }
        let leaf = graph.appendLeaf(.constant, value: value)
        pendingNames[leaf] = "randn(\(seed))"
        return .node(leaf)
    }

    /// The seed of `randn`: a whole number within ±2^53.
    mutating func randnSeed(_ expression: Expression) throws(Diagnostic) -> Int64 {
        let seed = try valueWithoutRecording(expression)
        guard seed.isFinite, seed.rounded() == seed else {
            throw error("the seed of `randn` must be a whole number, but it is \(NumberFormat.shortest.string(seed))", at: expression.range.lowerBound)
        }
        // Every whole double up to 2^53 is exact; past it seeds would silently collide.
        guard Swift.abs(seed) <= 9_007_199_254_740_992 else {
            throw error("the seed of `randn` must be between -9007199254740992 and 9007199254740992 (±2^53), "
                + "but it is \(NumberFormat.shortest.string(seed))", at: expression.range.lowerBound)
        }
        return Int64(seed)
    }

    /// A user function: its body runs in a fresh scope with the parameters bound to the
    /// arguments, and its nodes are grouped under a label such as `neuron(x1, w1)`.
    private mutating func callFunction(_ index: Int, _ call: Call) throws(Diagnostic) -> Term {
        let function = nameSlots.functions[index]
        var arguments: [Term] = []
        for argument in call.arguments { arguments.append(try evaluate(argument)) }
        guard callDepth < limits.maxCallDepth else {
            throw error("function calls nested more than \(limits.maxCallDepth) deep (is `\(function.name.value)` recursive without a base case?); raise the limit with --max-call-depth", at: call.nameStart)
        }
        // The bindings of a call that returned are reused: no allocation per call.
        var slots = spareSlots.popLast() ?? []
        slots.removeAll(keepingCapacity: true)
        slots.append(contentsOf: repeatElement(Slot(), count: nameSlots.count))
        var scope = Scope(function: function.name.value, functionNumber: index + 1, slots: slots)
        for (parameter, argument) in zip(function.parameters, arguments) {
            let slot = nameSlots.slot(parameter.value, at: parameter.start)
            if slot >= scope.slots.count { scope.slots.append(contentsOf: repeatElement(Slot(), count: slot - scope.slots.count + 1)) }
            scope.slots[slot].term = argument
        }
        callDepth += 1
        scopes.append(scope)
        defer {
            spareSlots.append(scopes.removeLast().slots)
            callDepth -= 1
        }
        let returned = try inGroup(callLabel(function, call), number: 0, at: call.nameStart) { (tracer) throws(Diagnostic) in
            try tracer.execute(function.body)
        }
        guard let returned else {
            throw error("function `\(function.name.value)` ended without `return`", at: call.nameStart)
        }
        // The value leaves the function: a node stays a node, a number a number.
        if !recording, case .node(let node) = returned {
            if graph.isTensor(node) { throw tensorWithoutRecording(at: call.nameStart) }
            return .number(graph.values[node])
        }
        return returned
    }

    /// The label of a call's group, e.g. `neuron(x1, w1)`: the same text at every call from one
    /// place, so it is written once per place (a call in a loop would write it every iteration).
    private mutating func callLabel(_ function: FunctionDefinition, _ call: Call) -> GroupList.Template {
        if let known = callLabels[call.nameStart] { return known }
        let template = graph.annotations.groups.template(.text("\(function.name.value)(\(groupText(call.argumentsRange)))"))
        callLabels[call.nameStart] = template
        return template
    }

    /// Source text for a group label, with runs of white space collapsed and long text cut.
    func groupText(_ range: Range<Int>) -> String {
        var text = ""
        var pendingSpace = false
        var inComment = false
        for scalar in source.scalars[range.clamped(to: 0..<source.scalars.count)] {
            if scalar == "#" { inComment = true }
            if scalar == "\n" { inComment = false }
            if inComment || scalar.properties.isWhitespace {
                pendingSpace = !text.isEmpty
                continue
            }
            if pendingSpace { text.unicodeScalars.append(" ") }
            pendingSpace = false
            text.unicodeScalars.append(scalar)
            if text.unicodeScalars.count > 60 { return text + "…" }
        }
        return text
    }
}
