import GradFlow

/// The items of the node a forward step evaluates, found once per step.
///
/// A `sum` of 30,000 terms has 30,000 operands, and a frame asks several times which of them a
/// window shows (the focus, the step's edges, the camera, each style tried). Asked operand by
/// operand, that was 30,000 look-ups each time, a quarter of the step into such a sum; here it
/// is one pass per step, then a look-up per box of the window.
struct StepOperandItems {
    /// The evaluated node.
    let node: NodeID
    /// The items showing its operands, each once, ascending.
    let items: [Int]
    /// Parallel to `items`: where each first appears among the node's operands.
    let firstOperand: [Int]

    init(node: NodeID, graph: Graph, folded: FoldedItems) {
        self.node = node
        let found = graph.operands(of: node).enumerated().map { (item: folded.index(of: $0.element), operand: $0.offset) }
            .sorted { ($0.item, $0.operand) < ($1.item, $1.operand) }
        var items: [Int] = [], firstOperand: [Int] = []
        items.reserveCapacity(found.count)
        firstOperand.reserveCapacity(found.count)
        for entry in found where entry.item != items.last {
            items.append(entry.item)
            firstOperand.append(entry.operand)
        }
        self.items = items
        self.firstOperand = firstOperand
    }

    /// Where `item` first appears among the operands, or nil if it shows none. O(log operands).
    func firstOperand(of item: Int) -> Int? {
        binarySearch(items, item).map { firstOperand[$0] }
    }
}

extension GraphPane {
    /// The operands' items of the node the current step evaluates (nil outside a forward step).
    func stepOperandItems(_ model: StepperModel, items: FoldedItems) -> StepOperandItems? {
        guard case .evaluate(let evaluation)? = model.currentStep else { return nil }
        if let known = operandCache, known.node == evaluation.node, known.folded == items.folded,
           known.opening == items.opening, known.graphCount == model.graph.count {
            return known.operands
        }
        let operands = StepOperandItems(node: evaluation.node, graph: model.graph, folded: items)
        operandCache = (evaluation.node, items.folded, items.opening, model.graph.count, operands)
        return operands
    }

    /// The boxes of `drawing` showing the operands of the node the step evaluates, in the order
    /// the operands come (each box once), each the one beside `consumer` where it has one:
    /// what asking ``GraphWindow/position(of:consumer:)`` for every operand in turn gives.
    ///
    /// - Complexity: O(boxes · log operands), after the step's first call.
    func operandPositions(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems, consumer: Int?) -> [Int] {
        guard let operands = stepOperandItems(model, items: items) else { return [] }
        let window = drawing.window
        var found: [(operand: Int, position: Int)] = []
        var seen = Set<Int>()
        for item in window.boxItems where seen.insert(item).inserted {
            guard let first = operands.firstOperand(of: item), let position = window.position(of: item, consumer: consumer) else { continue }
            found.append((first, position))
        }
        var positions = Set<Int>()
        return found.sorted { $0.operand < $1.operand }.map(\.position).filter { positions.insert($0).inserted }
    }
}
