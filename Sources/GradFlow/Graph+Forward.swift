/// Forward mode: tangents of every node with respect to one input.
extension Graph {
    /// The tangent ∂node/∂input of every node, by one forward sweep seeded at `input`.
    ///
    /// `tangent[node] = Σ ∂node/∂operand · tangent[operand]`, over the partials recorded in the
    /// forward pass. Operands whose tangent is exactly 0 are skipped, so a non-finite partial on
    /// a path that does not lead from the input leaves the result untouched.
    ///
    /// - Complexity: O(nodes + operands).
    public func tangents(withRespectTo input: NodeID, seed: Double = 1) -> [Double] {
        // A graph with tensor nodes needs their Jacobian–vector products; scalar nodes come out the same.
        if hasTensors { return tensorTangents(withRespectTo: input).scalars.map { $0 * seed } }
        var tangent = [Double](repeating: 0, count: count)
        var reached = [Bool](repeating: false, count: count)
        tangent[input] = seed
        reached[input] = true
        for node in (input + 1)..<max(input + 1, count) {
            var sum = 0.0
            var any = false
            for slot in operandSlots(of: node) {
                let operand = Int(operandStorage[slot])
                if reached[operand] {
                    sum += partialStorage[slot] * tangent[operand]
                    any = true
                }
            }
            tangent[node] = sum
            reached[node] = any
        }
        return tangent
    }
}

/// A Jacobian of several outputs with respect to every input, and how many sweeps it took.
public struct Jacobian: Sendable {
    /// The outputs (rows) and inputs (columns).
    public let outputs: [NodeID]
    public let inputs: [NodeID]
    /// `entries[row][column]` = ∂outputs[row]/∂inputs[column].
    public let entries: [[Double]]
    /// Sweeps taken: one per output in reverse mode, one per input in forward mode.
    public let passes: Int
}

extension Graph {
    /// The Jacobian by reverse mode: one backward sweep per output fills one row.
    public func jacobianByReverseMode(outputs: [NodeID]) -> Jacobian {
        let inputs = self.inputs
        let rows = outputs.map { output in
            let adjoint = adjoints(from: output)
            return inputs.map { adjoint[$0] }
        }
        return Jacobian(outputs: outputs, inputs: inputs, entries: rows, passes: outputs.count)
    }

    /// The Jacobian by forward mode: one forward sweep per input fills one column.
    public func jacobianByForwardMode(outputs: [NodeID]) -> Jacobian {
        let inputs = self.inputs
        var rows = [[Double]](repeating: [Double](repeating: 0, count: inputs.count), count: outputs.count)
        for (column, input) in inputs.enumerated() {
            let tangent = tangents(withRespectTo: input)
            for (row, output) in outputs.enumerated() { rows[row][column] = tangent[output] }
        }
        return Jacobian(outputs: outputs, inputs: inputs, entries: rows, passes: inputs.count)
    }
}
