/// Reverse mode (backpropagation): adjoints of every node with respect to one output.
extension Graph {
    /// The adjoint ∂output/∂node of every node, by one reverse sweep.
    ///
    /// The output is seeded with `seed`; every node that the output depends on (its ancestors)
    /// passes `adjoint[node] · ∂node/∂operand` to each operand. Nodes the output does not depend
    /// on are skipped, so a NaN partial elsewhere in the graph cannot leak into this gradient.
    ///
    /// - Returns: an array of `count` adjoints; nodes after `output` and non-ancestors hold 0.
    /// - Complexity: O(output + operands up to it).
    public func adjoints(from output: NodeID, seed: Double = 1) -> [Double] {
        precondition(nodes.contains(output), "output \(output) is not a node of this graph")
        // A graph with tensor nodes needs their vector–Jacobian products; scalar nodes come out the same.
        if hasTensors { return tensorAdjoints(from: output, seed: seed).scalars }
        var adjoint = Graph.zeros(count: count)
        var reached = [Bool](repeating: false, count: output + 1)
        // Unchecked indexing is safe here: every operand precedes its node (append checks it),
        // so it lies in 0..<output.
        adjoint.withUnsafeMutableBufferPointer { adjoint in
            reached.withUnsafeMutableBufferPointer { reached in
                operandStorage.withUnsafeBufferPointer { operands in
                    partialStorage.withUnsafeBufferPointer { partials in
                        operandStart.withUnsafeBufferPointer { start in
                            adjoint[output] = seed
                            reached[output] = true
                            var node = output
                            while node >= 0 {
                                if reached[node] {
                                    let incoming = adjoint[node]
                                    var slot = Int(start[node])
                                    let end = Int(start[node + 1])
                                    while slot < end {
                                        let operand = Int(operands[slot])
                                        adjoint[operand] += incoming * partials[slot]
                                        reached[operand] = true
                                        slot += 1
                                    }
                                }
                                node -= 1
                            }
                        }
                    }
                }
            }
        }
        return adjoint
    }

    /// Which nodes `output` depends on (itself included): the nodes a reverse sweep visits.
    public func ancestors(of output: NodeID) -> [Bool] {
        var reached = [Bool](repeating: false, count: count)
        reached[output] = true
        for node in stride(from: output, through: 0, by: -1) where reached[node] {
            for slot in operandSlots(of: node) { reached[Int(operandStorage[slot])] = true }
        }
        return reached
    }

    /// The gradient of `output` with respect to every input, in declaration order.
    public func gradient(of output: NodeID) -> [(input: NodeID, derivative: Double)] {
        let adjoint = adjoints(from: output)
        return inputs.map { ($0, adjoint[$0]) }
    }
}
