/// Where a tensor scene is not differentiable: elements sitting on the kink of their op.
extension Graph {
    /// A tensor node with an element on (or within rounding of) the kink of its op: `relu` or
    /// `abs` of an element at 0, `max`/`min` of two equal elements, a `max` reduction with a tie
    /// for the largest.
    public struct TensorKink: Sendable, Equatable {
        public let node: NodeID
        /// The row-major offset of the first such element of the node's value.
        public let offset: Int
    }

    /// The tensor nodes with an element closer to its kink than `closeness` (relative to the
    /// size of the numbers compared), in node order: what `check` names when a central
    /// difference straddles a kink in a tensor scene.
    public func tensorKinks(closeness: Double = 1e-9) -> [TensorKink] {
        var found: [TensorKink] = []
        for node in tensorStorage.nodes.keys.sorted() {
            guard let stored = tensorStorage.nodes[node] else { continue }
            let operands = self.operands(of: node)
            switch stored.op {
            case .elementwise(let op, let parameter):
                guard let kink = op.rule.kink, !operands.isEmpty else { continue }
                let shape = stored.value.shape
                let first = tensor(of: operands[0])
                let firstOffsets = Broadcast.offsets(of: first.shape, in: shape)
                let second = operands.count > 1 ? tensor(of: operands[1]) : nil
                let secondOffsets = second.map { Broadcast.offsets(of: $0.shape, in: shape) }
                for i in 0..<stored.value.count {
                    let a = first.elements[firstOffsets[i]]
                    let b = second.map { $0.elements[secondOffsets![i]] } ?? parameter
                    if Swift.abs(kink(a, b)) <= closeness * Swift.max(1, Swift.abs(a), Swift.abs(b)) {
                        found.append(TensorKink(node: node, offset: i))
                        break
                    }
                }
            case .reduce(.max, let axis) where axis == nil:
                // A tie: some element other than the chosen one equals the maximum.
                let source = tensor(of: operands[0])
                let values = stored.value.elements
                if let offset = source.elements.indices.first(where: { offset in
                    !stored.sources.contains(offset) && values.contains { top in
                        Swift.abs(top - source.elements[offset]) <= closeness * Swift.max(1, Swift.abs(top))
                    }
                }) {
                    found.append(TensorKink(node: node, offset: offset))
                }
            default:
                continue
            }
        }
        return found
    }
}
