import GradFlow

/// What an opened tensor step (``ElementWalk``) shows at its current element: the scalar terms
/// of that element's contribution, and which cells of which boxes they read and write, so the
/// boxes can mark them and the inspector can name them.
struct ElementFocus {
    /// The tensor step opened.
    let step: TensorContribution
    /// The receiving element (row-major offset into `step.to`) and its place in the walk.
    let element: Int
    let position: Int
    let count: Int
    /// The terms `to[element] += upstream[from] · localDerivative`.
    let terms: [Graph.ElementContribution]
    /// For a matrix product, the other operand, whose entries are the local derivatives, and
    /// the entry each term reads.
    let factor: NodeID?
    let factorCells: [Int]
    /// The receiving adjoint as the walk has filled it: the step's new value at the elements
    /// walked so far (this one included), the value before the step at the others.
    let walkedAdjoint: Tensor

    init?(model: StepperModel) {
        guard let walk = model.elementWalk, model.differentiation == .reverse else { return nil }
        let graph = model.graph
        step = model.timeline.tensorContribution(walk.contribution)
        (element, position, count) = (walk.element, walk.position, walk.elements.count)
        terms = graph.elementContributions(of: step.from, operand: step.operandIndex, into: walk.element)
        if case .matrixProduct? = graph.tensorStorage.nodes[step.from]?.op {
            let operands = graph.operands(of: step.from)
            let other = operands[1 - step.operandIndex]
            factor = other
            let (_, k, n) = ElementFocus.productDimensions(graph.shape(of: operands[0]), graph.shape(of: operands[1]))
            let receivesLeft = step.operandIndex == 0
            factorCells = terms.map { term in
                // Ā[i, p] reads B[p, j] for Ȳ[i, j]; B̄[p, j] reads A[i, p] for Ȳ[i, j].
                let (i, j) = (term.from / n, term.from % n)
                return receivesLeft ? (term.to % k) * n + j : i * k + term.to / n
            }
        } else {
            (factor, factorCells) = (nil, [])
        }
        var walked = (step.adjointBefore ?? Tensor(repeating: 0, shape: step.adjointAfter.shape)).elements
        for done in walk.elements.prefix(walk.position + 1) { walked[done] = step.adjointAfter.elements[done] }
        walkedAdjoint = Tensor(shape: step.adjointAfter.shape, elements: walked)
    }

    /// The cells of `node`'s value the terms read (the other operand of a matrix product).
    func valueCells(of node: NodeID) -> Set<Int> { node == factor ? Set(factorCells) : [] }

    /// The cells of `node`'s adjoint the element reads (the consumer's) or writes (the receiver's).
    func adjointCells(of node: NodeID) -> Set<Int> {
        if node == step.to { return [element] }
        if node == step.from { return Set(terms.map(\.from)) }
        return []
    }

    /// `m, k, n` of a product of these shapes, a vector counting as one row (left) or column (right).
    static func productDimensions(_ a: [Int], _ b: [Int]) -> (m: Int, k: Int, n: Int) {
        let m = a.count == 2 ? a[0] : 1, k = a.last ?? 1
        let n = b.count == 2 ? b[1] : 1
        return (m, k, n)
    }
}

extension StepState {
    /// A tensor node's adjoint as it stands (while a step is opened, the receiving one as the
    /// walk has filled it), or in forward mode its tangent once evaluated; nil before it has
    /// one. Rank-0 nodes as one-element tensors.
    func tensorDerivative(_ node: NodeID) -> Tensor? {
        if let focus = elementFocus, node == focus.step.to { return focus.walkedAdjoint }
        return timeline.tensorDerivative(of: node, at: step)
    }
}

/// Where the entries of a tensor's written rows are: the runs of characters between the
/// brackets, commas and spaces of `[[1, 2],` / ` [3, 4]]`.
enum TensorText {
    /// The display columns (start, width) of each entry of `row`, left to right.
    static func entryColumns(_ row: String) -> [(start: Int, width: Int)] {
        var result: [(Int, Int)] = []
        var column = 0, start: Int?
        for character in row {
            let separator = character == " " || character == "[" || character == "]" || character == ","
            if separator, let open = start {
                result.append((open, column - open))
                start = nil
            } else if !separator, start == nil {
                start = column
            }
            column += DisplayWidth.of(character)
        }
        if let open = start { result.append((open, column - open)) }
        return result
    }

    /// The row and entry of element `offset` in the rows of a tensor of `shape` written in full.
    static func place(of offset: Int, shape: [Int]) -> (row: Int, entry: Int) {
        guard shape.count >= 2, let width = shape.last, width > 0 else { return (0, offset) }
        return (offset / width, offset % width)
    }

    /// `[0, 2]` for offset 2 of a 2×3 tensor; empty for a scalar.
    static func index(of offset: Int, shape: [Int]) -> String {
        guard !shape.isEmpty else { return "" }
        let strides = Tensor.strides(of: shape)
        return "[" + zip(strides, shape).map { stride, size in String((offset / stride) % max(size, 1)) }
            .joined(separator: ", ") + "]"
    }
}

extension Timeline {
    /// Whether backward contribution `index` (0-based) is passed back by a tensor node (one
    /// vector–Jacobian product, read with ``tensorContribution(_:)``; its scalar local
    /// derivative is not defined).
    func isTensorStep(_ index: Int) -> Bool { graph.ops[contribution(index).from] == .tensor }
}
