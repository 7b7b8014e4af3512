/// Text for people about tensor nodes: their expressions in terms of their operands.
extension Graph {
    /// A tensor node's expression: `A @ B`, `ln(x)`, `sum(x, axis: 0)`, `A[1, :]`, `[a, b, c]`.
    func tensorFormula(_ tensor: TensorNode, operandNames names: [String], nodeName: String, format: NumberFormat) -> String {
        switch tensor.op {
        case .leaf:
            return nodeName
        case .elementwise(let op, let parameter):
            let formula = OpRule.Formula(operands: names, node: nodeName, parameter: parameter, format: format)
            return op.rule.formula?(formula) ?? "\(op.sceneName ?? "\(op)")(\(names.joined(separator: ", ")))"
        case .matrixProduct:
            return "\(names[0]) @ \(names[1])"
        case .transpose:
            return "transpose(\(names[0]))"
        case .reduce(let reduction, let axis):
            return "\(reduction.rawValue)(\(names[0])\(axis.map { ", axis: \($0)" } ?? ""))"
        case .normalize(let normalization, let axis):
            return "\(normalization.rawValue)(\(names[0]), axis: \(axis))"
        case .index(let entries):
            return "\(names[0])[\(entries.map(\.description).joined(separator: ", "))]"
        case .reshape:
            return "reshape(\(names[0]), \(tensor.value.shape.map(String.init).joined(separator: ", ")))"
        case .stack:
            return "[\(names.joined(separator: ", "))]"
        }
    }

    /// A tensor leaf's value: its elements when there are few, else its shape.
    func tensorLeafText(_ node: NodeID, format: NumberFormat) -> String {
        let value = tensor(of: node)
        return value.count <= 8 ? value.nested { format.string($0) } : "a \(Tensor.describe(value.shape)) tensor"
    }
}
