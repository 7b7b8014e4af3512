import Escaping
import GradFlow
import SceneLanguage

/// Tensor nodes in the graph file: the `"tensors"` extension.
///
/// A tensor node carries a `"tensor"` object: its `"shape"` and its `"values"` in row-major
/// order, and for a computed node what computes it (`"kind"`: `elementwise` with a `"function"`
/// of the op table and its `"parameter"`, `matrixProduct`, `transpose`, `reduce` with a
/// `"reduction"` and an optional `"axis"`, `normalize` with a `"normalization"` and an `"axis"`,
/// `index` with one entry per axis, a position or `":"`, `reshape`, `stack`). Its `"op"` is
/// `tensor` (or `input`/`constant` for a leaf). A file with tensor nodes lists `"tensors"` in
/// `"requires"`, so that a gradflow that cannot read them says so instead of misreading them.
///
/// A reader takes a leaf's values as they are and records every computed tensor node again from
/// its operands with the engine's own rules: its shape, values and backward needs are gradflow's,
/// whatever the file claims, and an operand of the wrong shape is a diagnostic.
extension GraphFile {
    /// The name of the extension a file with tensor nodes requires.
    public static let tensorsExtension = "tensors"

    /// The `"tensor"` object of `node`, or nil for a scalar node.
    static func tensorObject(of node: NodeID, in graph: Graph) -> String? {
        guard let stored = graph.tensorStorage.nodes[node] else { return nil }
        var fields: [String] = []
        switch stored.op {
        case .leaf: break
        case .elementwise(let op, let parameter):
            fields += ["\"kind\": \"elementwise\"", "\"function\": \(JSONText.quoted(name(of: op)))"]
            if op.hasParameter { fields.append("\"parameter\": \(number(parameter))") }
        case .matrixProduct: fields.append("\"kind\": \"matrixProduct\"")
        case .transpose: fields.append("\"kind\": \"transpose\"")
        case .reshape: fields.append("\"kind\": \"reshape\"")
        case .stack: fields.append("\"kind\": \"stack\"")
        case .reduce(let reduction, let axis):
            fields += ["\"kind\": \"reduce\"", "\"reduction\": \"\(reduction.rawValue)\""]
            if let axis { fields.append("\"axis\": \(axis)") }
        case .normalize(let normalization, let axis):
            fields += ["\"kind\": \"normalize\"", "\"normalization\": \"\(normalization.rawValue)\"", "\"axis\": \(axis)"]
        case .index(let entries):
            let written = entries.map { entry in
                switch entry {
                case .at(let position): String(position)
                case .all: "\":\""
                }
            }
            fields += ["\"kind\": \"index\"", "\"index\": [\(written.joined(separator: ", "))]"]
        }
        fields.append("\"shape\": [\(stored.value.shape.map(String.init).joined(separator: ", "))]")
        fields.append("\"values\": [\(stored.value.elements.map(number).joined(separator: ", "))]")
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

extension GraphFile {
    /// The outputs of a graph read from a file with some input elements moved (keyed as scene
    /// overrides are: `x` for a scalar input, `W[5]` for the element of `W` at offset 5), by
    /// recording its ops again: what `check` differentiates a tensor graph file with. Nil when an
    /// op fails at the moved values.
    public static func outputValues(of scene: Scene, moving overrides: [String: Double]) -> [Double]? {
        let graph = scene.graph
        var leaves: [NodeID: Tensor] = [:]
        for input in scene.inputs {
            var value = graph.tensor(of: input.node)
            if let scalar = overrides[input.name], !graph.isTensor(input.node) { value.elements[0] = scalar }
            for offset in value.elements.indices {
                if let moved = overrides["\(input.name)[\(offset)]"] { value.elements[offset] = moved }
            }
            if value != graph.tensor(of: input.node) { leaves[input.node] = value }
        }
        guard let replay = try? graph.replayed(replacing: leaves) else { return nil }
        return scene.outputs.map { replay.values[$0.node] }
    }
}

extension GraphFileReader {
    /// Appends node `index`, a tensor node described by its `"tensor"` object `field`.
    func appendTensorNode(
        _ op: Op, opName: String, _ field: JSONNode, operands: [NodeID], path: String, index: Int, to graph: inout Graph
    ) throws(Diagnostic) {
        let tensorPath = path + ".tensor"
        let fields = try object(field, tensorPath)
        let shape = try tensorShape(try required(fields, "shape", in: field, tensorPath), tensorPath + ".shape")
        if op.isLeaf {
            let valuesNode = try required(fields, "values", in: field, tensorPath)
            let list = try array(valuesNode, tensorPath + ".values")
            guard list.count == Tensor.count(of: shape) else {
                throw error(valuesNode, tensorPath + ".values", "\(list.count) values for shape \(Tensor.describe(shape)), which holds \(Tensor.count(of: shape))")
            }
            var elements: [Double] = []
            elements.reserveCapacity(list.count)
            for (offset, element) in list.enumerated() {
                elements.append(try number(element, "\(tensorPath).values[\(offset)]", allowsNonFinite: false))
            }
            graph.appendTensorLeaf(op, Tensor(shape: shape, elements: elements))
        } else {
            guard op == .tensor else { throw error(field, tensorPath, "only `tensor` nodes and leaves carry a \"tensor\" object, not `\(opName)`") }
            let tensorOp = try tensorOperation(fields, field, operands: operands.count, path: tensorPath)
            do throws(TensorShapeError) {
                try graph.appendTensor(tensorOp, operands, shape: shape)
            } catch {
                throw self.error(field, tensorPath, error.message)
            }
            let recorded = graph.shape(of: graph.count - 1)
            guard recorded == shape else {
                throw error(field, tensorPath + ".shape", "the node computes shape \(Tensor.describe(recorded)) from its operands, not \(Tensor.describe(shape))")
            }
        }
        guard graph.tensorStorage.elementCount <= limits.maxTensorElements else {
            throw error(field, tensorPath, "the graph's tensors hold more than \(limits.maxTensorElements) elements in all, the limit")
        }
    }

    /// What computes a tensor node: its `"kind"` and that kind's fields.
    private func tensorOperation(_ fields: Members, _ field: JSONNode, operands: Int, path: String) throws(Diagnostic) -> TensorOp {
        let kindNode = try required(fields, "kind", in: field, path)
        let kind = try text(kindNode, path + ".kind", limit: limits.maxNameLength, allowsLineBreaks: false)
        func axis(required: Bool) throws(Diagnostic) -> Int? {
            guard let node = fields.value(for: "axis") else {
                if required { throw error(field, path, "the key \"axis\" is missing") }
                return nil
            }
            guard case .number(_, let whole?) = node.value, whole <= 8 else {
                throw error(node, path + ".axis", "expected an axis from 0, found \(node.value.kind)")
            }
            return whole
        }
        switch kind {
        case "elementwise":
            let functionNode = try required(fields, "function", in: field, path)
            let functionName = try text(functionNode, path + ".function", limit: limits.maxNameLength, allowsLineBreaks: false)
            guard let function = GraphFile.op(named: functionName), function.arity == operands, !function.isLeaf, function != .tensor else {
                throw error(functionNode, path + ".function", "`\(functionName)` is not an op of gradflow taking \(operands) operand\(operands == 1 ? "" : "s") element by element")
            }
            var parameter = 0.0
            if function.hasParameter {
                parameter = try number(try required(fields, "parameter", in: field, path), path + ".parameter", allowsNonFinite: true)
            }
            return .elementwise(function, parameter: parameter)
        case "matrixProduct": return .matrixProduct
        case "transpose": return .transpose
        case "reshape": return .reshape
        case "stack": return .stack
        case "reduce":
            let reductionNode = try required(fields, "reduction", in: field, path)
            guard case .string(let word) = reductionNode.value, let reduction = TensorOp.Reduction(rawValue: word) else {
                throw error(reductionNode, path + ".reduction", "expected \"sum\", \"mean\" or \"max\"")
            }
            return .reduce(reduction, axis: try axis(required: false))
        case "normalize":
            let normalizationNode = try required(fields, "normalization", in: field, path)
            guard case .string(let word) = normalizationNode.value, let normalization = TensorOp.Normalization(rawValue: word) else {
                throw error(normalizationNode, path + ".normalization", "expected \"softmax\", \"log_softmax\" or \"logsumexp\"")
            }
            return .normalize(normalization, axis: try axis(required: true) ?? 0)
        case "index":
            var entries: [TensorIndex] = []
            let list = try array(try required(fields, "index", in: field, path), path + ".index")
            for (position, entry) in list.enumerated() {
                switch entry.value {
                case .string(":"): entries.append(.all)
                case .number(_, let whole?) where whole < Tensor.maxElements: entries.append(.at(whole))
                default: throw error(entry, "\(path).index[\(position)]", "expected a position from 0 or \":\", found \(entry.value.kind)")
                }
            }
            return .index(entries)
        default:
            throw error(kindNode, path + ".kind", "`\(kind)` is not a kind of tensor node gradflow knows; its kinds are elementwise, matrixProduct, transpose, reduce, normalize, index, reshape, stack")
        }
    }

    /// A shape: a list of at most 4 whole numbers from 1 (none: a scalar computed from tensors,
    /// such as `sum(x)`), holding at most ``Tensor/maxElements``.
    func tensorShape(_ node: JSONNode, _ path: String) throws(Diagnostic) -> [Int] {
        let list = try array(node, path)
        guard list.count <= 4 else { throw error(node, path, "a tensor has at most 4 axes, not \(list.count)") }
        var shape: [Int] = []
        for (axis, size) in list.enumerated() {
            let value = try integer(size, "\(path)[\(axis)]")
            guard value >= 1 else { throw error(size, "\(path)[\(axis)]", "a dimension is at least 1") }
            shape.append(value)
            guard Tensor.fits(shape) else { throw error(node, path, "the shape holds more than \(Tensor.maxElements) elements, the limit for one tensor") }
        }
        return shape
    }
}
