import Foundation
import GradFlow

/// Tensors in scenes: literals and stacks, constructors, elementwise arithmetic with
/// broadcasting, `@`, reductions and normalisations with `axis:`, indexing, reshaping.
///
/// A tensor is a node like any other (``Term/node(_:)``) whose shape the graph knows; an
/// expression with no tensor in it takes exactly the scalar paths it always took.
extension Tracer {
    /// The most elements one tensor may hold (128 MiB of doubles).
    static let maxTensorElements = Tensor.maxElements
    /// The most axes a tensor may have.
    static let maxTensorRank = 4

    func isTensor(_ term: Term) -> Bool {
        if case .node(let node) = term { graph.isTensor(node) } else { false }
    }

    func shapeText(_ term: Term) -> String {
        if case .node(let node) = term { Tensor.describe(graph.shape(of: node)) } else { "[]" }
    }

    /// A shape error from the engine, placed at `offset` (the operator or the call).
    func diagnostic(_ shapeError: TensorShapeError, at offset: Int) -> Diagnostic {
        error(shapeError.message, at: offset)
    }

    /// Why a tensor cannot stand where a plain number is computed (a condition, a count, a seed)
    /// without recording; ``valueWithoutRecording(_:)`` then computes it through
    /// ``valueThroughTensors(_:)`` instead.
    func tensorWithoutRecording(at offset: Int) -> Diagnostic {
        error(Self.tensorWithoutRecordingMessage, at: offset)
    }

    static let tensorWithoutRecordingMessage = "a tensor is computed here; a condition, a count or a seed takes a number"

    /// The number an expression with tensors computes (`x[0]`, `sum(W)`), for a condition, a
    /// count or a seed: it is recorded on a copy of the tracer, which is then dropped, so the
    /// scene's graph is as if nothing had been computed. A tensor result is a diagnostic.
    mutating func valueThroughTensors(_ expression: Expression) throws(Diagnostic) -> Double {
        var scratch = self
        scratch.recording = true
        switch try scratch.evaluate(expression) {
        case .number(let value): return value
        case .node(let node):
            guard scratch.graph.isTensor(node) else { return scratch.graph.values[node] }
            throw error("this is a tensor of shape \(Tensor.describe(scratch.graph.shape(of: node))), but a condition, a count or a seed "
                + "takes a number; use one element, e.g. `x[0]`, or a reduction such as `sum(x)`", at: expression.range.lowerBound)
        }
    }

    // MARK: Arithmetic

    /// `a op b` where `op` is `@` or either operand is a tensor; otherwise the scalar arithmetic.
    mutating func combine(_ op: ArithmeticOperator, _ a: Term, _ b: Term, at offset: Int) throws(Diagnostic) -> Term {
        if op == .matrixProduct { return try matrixProduct(a, b, at: offset) }
        guard isTensor(a) || isTensor(b) else { return arithmetic(op, a, b) }
        if let form = Self.constantForm(op, a, b) {
            return .node(graph.appendElementwise(form.op, form.node, parameter: form.constant))
        }
        let binary: Op
        switch (op, a, b) {
        case (.add, _, _): binary = .add
        case (.subtract, _, _): binary = .subtract
        case (.multiply, _, _): binary = .multiply
        case (.divide, _, _): binary = .divide
        case (.matrixProduct, _, _): return try matrixProduct(a, b, at: offset)
        }
        do {
            return .node(try graph.appendElementwise(binary, node(for: a), node(for: b), symbol: op.rawValue))
        } catch {
            throw diagnostic(error, at: offset)
        }
    }

    /// `a @ b`.
    mutating func matrixProduct(_ a: Term, _ b: Term, at offset: Int) throws(Diagnostic) -> Term {
        guard case .node(let x) = a, case .node(let y) = b else {
            throw error("cannot compute \(shapeText(a)) @ \(shapeText(b)): @ takes vectors and matrices (rank 1 or 2); use * to scale by a number", at: offset)
        }
        do { return .node(try graph.appendMatrixProduct(x, y)) } catch { throw diagnostic(error, at: offset) }
    }

    /// `a ^ b` where either is a tensor; otherwise the scalar power.
    mutating func powerOfTerms(_ a: Term, _ b: Term, at offset: Int) throws(Diagnostic) -> Term {
        guard isTensor(a) || isTensor(b) else { return power(a, b) }
        switch (a, b) {
        case let (.node(n), .number(c)): return .node(graph.appendElementwise(.powerConstant, n, parameter: c))
        case let (.number(c), .node(n)): return .node(graph.appendElementwise(.constantPower, n, parameter: c))
        default:
            do { return .node(try graph.appendElementwise(.power, node(for: a), node(for: b), symbol: "^")) } catch { throw diagnostic(error, at: offset) }
        }
    }

    // MARK: Calls

    /// Whether a call of an op of the table takes the tensor path.
    func callsForTensors(_ op: Op, _ terms: [Term], _ call: Call) -> Bool {
        if !call.namedArguments.isEmpty || (op == .max && terms.count == 1) { return true }
        // A loop, not `contains(where: isTensor)`: that closure copied the whole tracer per call.
        for term in terms where isTensor(term) { return true }
        return false
    }

    /// An op of the table applied to tensors: elementwise, or a reduction for `sum`, `mean`, `max`
    /// of one tensor.
    mutating func applyToTensors(_ op: Op, _ terms: [Term], _ call: Call) throws(Diagnostic) -> Term {
        let at = call.nameStart
        let axis = try axisArgument(call)
        let name = op.sceneName ?? op.symbol
        if terms.count == 1, op == .sum || op == .mean || op == .max {
            guard isTensor(terms[0]), case .node(let x) = terms[0] else {
                if op == .max { throw error("`max` of one value takes a tensor; for two numbers write `max(a, b)`", at: at) }
                throw error("`\(name)(…, axis:)` takes a tensor, but its argument is a scalar", at: call.arguments[0].range.lowerBound)
            }
            let reduction: TensorOp.Reduction = op == .sum ? .sum : (op == .mean ? .mean : .max)
            do { return .node(try graph.appendReduction(reduction, x, axis: axis)) } catch { throw diagnostic(error, at: at) }
        }
        if axis != nil { throw error("`axis:` goes with one tensor, as in `\(name)(x, axis: 0)`", at: at) }
        switch op.arity {
        case 1:
            guard case .node(let x) = terms[0] else { return graph.apply(op, terms[0]) }
            return .node(graph.appendElementwise(op, x))
        case 2:
            do {
                return .node(try graph.appendElementwise(op, node(for: terms[0]), node(for: terms[1]), symbol: name))
            } catch {
                throw diagnostic(error, at: at)
            }
        default:
            throw error("`\(name)` of several values takes scalars; to add tensors element by element write `a + b`, or take `\(name)(x)` of each", at: at)
        }
    }

    /// The `axis:` of a call, if given.
    mutating func axisArgument(_ call: Call) throws(Diagnostic) -> Int? {
        var axis: Int?
        for named in call.namedArguments {
            if axis != nil { throw error("`axis:` is given twice", at: named.name.start) }
            axis = try traceTimeInteger(named.value, "an axis")
        }
        return axis
    }

    /// `zeros`, `ones`, `full`, `linspace`, `transpose`, `softmax`, `log_softmax`, `logsumexp`, `reshape`.
    mutating func callTensorFunction(_ function: TensorFunction, _ call: Call) throws(Diagnostic) -> Term {
        if let made = try constructedTensor(call) { return constantLeaf(made, label: "\(call.name)(\(groupText(call.argumentsRange)))") }
        let argument = try evaluate(call.arguments[0])
        guard case .node(let x) = argument, graph.isTensor(x) else {
            throw error("`\(call.name)` takes a tensor, but its argument is a scalar", at: call.arguments[0].range.lowerBound)
        }
        let axis = try axisArgument(call)
        do {
            switch function {
            case .transpose: return .node(try graph.appendTranspose(x))
            case .softmax: return .node(try graph.appendNormalization(.softmax, x, axis: axis ?? -1))
            case .logSoftmax: return .node(try graph.appendNormalization(.logSoftmax, x, axis: axis ?? -1))
            case .logSumExp: return .node(try graph.appendNormalization(.logSumExp, x, axis: axis ?? -1))
            case .reshape: return .node(try graph.appendReshape(x, to: try dimensions(Array(call.arguments.dropFirst()))))
            case .zeros, .ones, .full, .linspace: preconditionFailure("constructors are made by constructedTensor")
            }
        } catch let shapeError as TensorShapeError {
            throw diagnostic(shapeError, at: call.nameStart)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// The tensor a constructor call makes (`zeros(2, 3)`, `full(0.5, 3)`, `randn(7, 4, 3)`,
    /// `linspace(-7, 7, 200)`), or nil when the call is not a constructor.
    mutating func constructedTensor(_ call: Call) throws(Diagnostic) -> Tensor? {
        let arguments = call.arguments
        switch Builtin(name: functions[call.name] == nil ? call.name : "") {
        case .tensor(.zeros)?, .tensor(.ones)?:
            return Tensor(repeating: call.name == "zeros" ? 0 : 1, shape: try dimensions(arguments))
        case .tensor(.full)?:
            let value = try valueWithoutRecording(arguments[0])
            return Tensor(repeating: value, shape: try dimensions(Array(arguments.dropFirst())))
        case .randn? where arguments.count > 1:
            let seed = try randnSeed(arguments[0])
            let shape = try dimensions(Array(arguments.dropFirst()))
            return Tensor(shape: shape, elements: StandardNormal.samples(seed: seed, count: Tensor.count(of: shape)))
        case .tensor(.linspace)?:
            let start = try valueWithoutRecording(arguments[0]), stop = try valueWithoutRecording(arguments[1])
            let count = try traceTimeInteger(arguments[2], "the number of points of `linspace`")
            guard count >= 1, count <= Tracer.maxTensorElements else {
                throw error("`linspace` makes 1 to \(Tracer.maxTensorElements) points, not \(count)", at: arguments[2].range.lowerBound)
            }
            // NumPy's spacing: both ends included, the last point exactly `stop`.
            let step = count > 1 ? (stop - start) / Double(count - 1) : 0
            let points = (0..<count).map { $0 == count - 1 && count > 1 ? stop : start + Double($0) * step }
            return Tensor(shape: [count], elements: points)
        default:
            return nil
        }
    }

    /// Dimensions given as arguments: whole numbers from 1, at most 4, not too many elements.
    mutating func dimensions(_ arguments: [Expression]) throws(Diagnostic) -> [Int] {
        var shape: [Int] = []
        for argument in arguments {
            let size = try traceTimeInteger(argument, "a dimension")
            guard size >= 1 else { throw error("a dimension must be at least 1, but it is \(size)", at: argument.range.lowerBound) }
            shape.append(size)
            guard Tensor.fits(shape) else {
                throw error("a tensor of shape \(Tensor.describe(shape)) would hold more than \(Tracer.maxTensorElements) elements, the limit for one tensor", at: argument.range.lowerBound)
            }
        }
        return shape
    }

    /// A constant tensor leaf, named (unless an assignment names it) by the text that made it.
    mutating func constantLeaf(_ tensor: Tensor, label: String) -> Term {
        let leaf = graph.appendTensorLeaf(.constant, tensor)
        pendingNames[leaf] = label
        return .node(leaf)
    }

    // MARK: Lists and indexing

    /// A list's value: a constant tensor when every entry is a number, else the entries' nodes.
    enum ListValue {
        case constant(Tensor)
        case node(NodeID)
    }

    /// `[…]` in an expression: a constant tensor leaf, or a stack of the entries.
    mutating func evaluateList(_ items: [Expression], range: Range<Int>) throws(Diagnostic) -> Term {
        guard recording else { throw tensorWithoutRecording(at: range.lowerBound) }
        switch try listValue(items, range: range) {
        case .constant(let tensor): return constantLeaf(tensor, label: groupText(range))
        case .node(let node): return .node(node)
        }
    }

    mutating func listValue(_ items: [Expression], range: Range<Int>) throws(Diagnostic) -> ListValue {
        var entries: [ListValue] = []
        for item in items {
            if case .list(let inner) = item.kind {
                entries.append(try listValue(inner, range: item.range))
            } else {
                switch try evaluate(item) {
                case .number(let value): entries.append(.constant(Tensor(scalar: value)))
                case .node(let node): entries.append(.node(node))
                }
            }
        }
        let constants = entries.compactMap { entry -> Tensor? in if case .constant(let t) = entry { t } else { nil } }
        if constants.count == entries.count {
            for (index, entry) in constants.enumerated() where entry.shape != constants[0].shape {
                throw error("a list must be rectangular: its entry \(index + 1) has shape \(Tensor.describe(entry.shape)) but its first has \(Tensor.describe(constants[0].shape))",
                            at: items[index].range.lowerBound)
            }
            let shape = [constants.count] + constants[0].shape
            try checkTensorSize(shape, at: range.lowerBound)
            guard Tensor.fits(shape) else {
                throw error("a list of shape \(Tensor.describe(shape)) would hold more than \(Tensor.maxElements) elements, the limit for one tensor", at: range.lowerBound)
            }
            return .constant(Tensor(shape: shape, elements: constants.flatMap(\.elements)))
        }
        guard recording else { throw tensorWithoutRecording(at: range.lowerBound) }
        var nodes: [NodeID] = []
        for entry in entries {
            switch entry {
            case .constant(let t): nodes.append(t.rank == 0 ? graph.appendLeaf(.constant, value: t.elements[0]) : graph.appendTensorLeaf(.constant, t))
            case .node(let node): nodes.append(node)
            }
        }
        try checkTensorSize([nodes.count] + graph.shape(of: nodes[0]), at: range.lowerBound)
        do { return .node(try graph.appendStack(nodes)) } catch { throw diagnostic(error, at: range.lowerBound) }
    }

    func tooManyTensorElements(at offset: Int) -> Diagnostic {
        error("the scene's tensors hold more than \(limits.maxTensorElements) elements in all, the limit for a scene (raise it with --max-elements)", at: offset)
    }

    func checkTensorSize(_ shape: [Int], at offset: Int) throws(Diagnostic) {
        if shape.count > Tracer.maxTensorRank {
            throw error("a tensor has at most \(Tracer.maxTensorRank) axes; this list would make \(shape.count)", at: offset)
        }
    }

    /// `x[i]`, `A[i, j]`, `A[i, :]`, `A[:, j]`.
    mutating func evaluateIndex(_ base: Expression, _ entries: [Expression.IndexEntry], range: Range<Int>) throws(Diagnostic) -> Term {
        let value = try evaluate(base)
        guard case .node(let x) = value, graph.isTensor(x) else {
            throw error("only a tensor can be indexed, and this is a scalar", at: base.range.lowerBound)
        }
        var indices: [TensorIndex] = []
        for entry in entries {
            switch entry {
            case .all: indices.append(.all)
            case .position(let position): indices.append(.at(try traceTimeInteger(position, "an index")))
            }
        }
        do { return .node(try graph.appendIndex(x, indices)) } catch { throw diagnostic(error, at: base.range.upperBound) }
    }

    // MARK: Declarations and outputs

    /// The tensor an `input` or `const` declares, or nil when its value is not a tensor.
    mutating func declaredTensor(_ value: Expression, keyword: String, name: String) throws(Diagnostic) -> Tensor? {
        switch value.kind {
        case .list(let items):
            guard case .constant(let tensor) = try listValue(items, range: value.range) else {
                throw error("the value of \(keyword) `\(name)` must be numbers, e.g. `\(keyword) \(name) = [1, 2]`; it cannot depend on other nodes", at: value.range.lowerBound)
            }
            return tensor
        case .call(let call) where try constructedTensor(call) != nil:
            return try constructedTensor(call)
        default:
            // A tensor expression of constants (`randn(1, 3, 2) * 0.1`) declares its value; it is
            // computed on a copy of the tracer, so its steps are not recorded.
            var scratch = self
            scratch.randnIsANumber = true
            guard case .node(let node) = try scratch.evaluate(value), scratch.graph.isTensor(node) else { return nil }
            let reached = scratch.graph.ancestors(of: node)
            if scratch.graph.inputs.contains(where: { reached[$0] }) {
                throw error("the value of \(keyword) `\(name)` cannot depend on inputs; write it with numbers, lists and constructors such as `randn(1, 3, 2) * 0.1`", at: value.range.lowerBound)
            }
            return scratch.graph.tensor(of: node)
        }
    }

    /// An output must be a scalar: a gradient is taken of a number, as PyTorch's `backward()` requires.
    func requireScalarOutput(_ node: NodeID, _ name: Located<String>) throws(Diagnostic) {
        guard graph.isTensor(node) else { return }
        throw error("`\(name.value)` is a tensor of shape \(Tensor.describe(graph.shape(of: node))), and an output must be a scalar to take its gradient "
            + "(as PyTorch's backward() requires); reduce it, e.g. `loss = sum(\(name.value))`, and make `loss` the output", at: name.start)
    }
}

extension Tracer {
    /// The key of ``inputValues`` that replaces one element of a tensor input: `W[5]` for the
    /// element at row-major offset 5 (no name contains `[`, so no key of a scalar input clashes).
    static func elementKey(_ name: String, offset: Int) -> String { "\(name)[\(offset)]" }

    /// A tensor input's declared value with the elements ``inputValues`` replaces.
    func overridden(_ tensor: Tensor, _ name: String) -> Tensor {
        guard !inputValues.isEmpty else { return tensor }
        var result = tensor
        let prefix = name + "["
        for (key, value) in inputValues where key.hasPrefix(prefix) && key.hasSuffix("]") {
            if let offset = Int(key.dropFirst(prefix.count).dropLast()), result.elements.indices.contains(offset) {
                result.elements[offset] = value
            }
        }
        return result
    }
}

extension Tracer {
    /// `grad(y, v)` in a scene with tensors: ∂y/∂v in v's shape, its backward pass recorded as
    /// tensor nodes (grouped under the call), so it can be differentiated again.
    mutating func tensorGradient(of output: NodeID, withRespectTo v: NodeID, _ call: Call) throws(Diagnostic) -> Term {
        if graph.isTensor(output) {
            throw error("`grad` takes a scalar first argument, but this is a tensor of shape \(Tensor.describe(graph.shape(of: output))); reduce it first, e.g. `grad(sum(y), x)`",
                        at: call.arguments[0].range.lowerBound)
        }
        return try inGroup("grad(\(groupText(call.argumentsRange)))", at: call.nameStart) { (tracer) throws(Diagnostic) in
            do throws(TensorShapeError) {
                return try tracer.graph.differentiateTensors(output, withRespectTo: v)
            } catch {
                throw tracer.diagnostic(error, at: call.nameStart)
            }
        }
    }
}
