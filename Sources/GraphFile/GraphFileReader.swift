import GradFlow
import SceneLanguage

/// Checks a parsed graph file key by key and builds the ``Scene`` it describes.
///
/// Every check that the engine relies on without checking again (operands before their node,
/// one partial per operand, the arity of each op) is made here, and each failure is one
/// diagnostic at the value that is wrong, with its path in the file (`nodes[7].operands[1]`).
struct GraphFileReader {
    let bytes: [UInt8]
    let fileName: String
    let limits: SceneLimits

    init(bytes: [UInt8], fileName: String, limits: SceneLimits) {
        self.bytes = bytes
        self.fileName = fileName
        self.limits = limits
    }

    func error(_ node: JSONNode, _ path: String, _ message: String) -> Diagnostic {
        FilePosition.diagnostic(in: bytes, at: node.offset, fileName: fileName, message: path.isEmpty ? message : "\(path): \(message)")
    }

    // MARK: The document

    mutating func scene(from root: JSONNode) throws(Diagnostic) -> Scene {
        let top = try object(root, "")
        try checkHeader(top, root)
        var graph = Graph()
        let nodeList = try array(try required(top, "nodes", in: root, ""), "nodes")
        guard !nodeList.isEmpty else { throw error(root, "nodes", "the graph has no nodes") }
        guard nodeList.count <= limits.maxNodes else {
            throw error(nodeList[limits.maxNodes], "nodes",
                        "more than \(limits.maxNodes) nodes, the limit (raise it with --max-nodes)")
        }
        graph.reserveCapacity(nodeList.count)
        var requestedNames: [String?] = []
        requestedNames.reserveCapacity(nodeList.count)
        for (index, element) in nodeList.enumerated() {
            let name = try appendNode(element, index: index, to: &graph)
            requestedNames.append(name)
        }
        graph.annotations.names = NodeNames(Self.uniqueNames(requestedNames))
        if let title = top.value(for: "title") {
            graph.annotations.title = try text(title, "title", limit: limits.maxStringLength, allowsLineBreaks: false)
        }
        if let groups = top.value(for: "groups") { try readGroups(groups, into: &graph) }
        try readOutputs(try required(top, "outputs", in: root, ""), into: &graph)
        return Scene(fileName: fileName, source: "", graph: graph)
    }

    private func checkHeader(_ top: Members, _ root: JSONNode) throws(Diagnostic) {
        let format = try required(top, "format", in: root, "")
        guard case .string(let name) = format.value, name == GraphFile.formatName else {
            throw error(format, "format", "this JSON is not a gradflow graph file: \"format\" must be \"\(GraphFile.formatName)\"")
        }
        let versionNode = try required(top, "version", in: root, "")
        let version = try integer(versionNode, "version")
        guard version >= 1 else { throw error(versionNode, "version", "the format's versions start at 1") }
        guard version <= GraphFile.version else {
            throw error(versionNode, "version", "the file is version \(version) of the graph format; this gradflow reads version \(GraphFile.version) (update gradflow)")
        }
        if let requires = top.value(for: "requires") {
            for (index, element) in try array(requires, "requires").enumerated() {
                let feature = try text(element, "requires[\(index)]", limit: limits.maxNameLength, allowsLineBreaks: false)
                guard GraphFile.understoodExtensions.contains(feature) else {
                    throw error(element, "requires[\(index)]", "the graph needs `\(feature)`, which this gradflow does not read (update gradflow)")
                }
            }
        }
    }

    // MARK: Nodes

    /// Appends node `index` and returns the name it asks for.
    private func appendNode(_ element: JSONNode, index: Int, to graph: inout Graph) throws(Diagnostic) -> String? {
        let path = "nodes[\(index)]"
        let fields = try object(element, path)
        if let id = fields.value(for: "id") {
            let given = try integer(id, path + ".id")
            guard given == index else { throw error(id, path + ".id", "the id is \(given) but the node is number \(index); ids are positions in evaluation order, from 0") }
        }
        let opNode = try required(fields, "op", in: element, path)
        let opName = try text(opNode, path + ".op", limit: limits.maxNameLength, allowsLineBreaks: false)
        guard let op = GraphFile.op(named: opName) else {
            throw error(opNode, path + ".op", "`\(opName)` is not an op gradflow knows; its ops are \(GraphFile.carriedOps.map(GraphFile.name(of:)).joined(separator: ", "))")
        }
        let operandNodes = try fields.value(for: "operands").map { (node) throws(Diagnostic) in try array(node, path + ".operands") } ?? []
        var operands: [NodeID] = []
        operands.reserveCapacity(operandNodes.count)
        for (slot, operandNode) in operandNodes.enumerated() {
            let operand = try integer(operandNode, "\(path).operands[\(slot)]")
            guard operand >= 0, operand < index else {
                throw error(operandNode, "\(path).operands[\(slot)]", operand >= index
                    ? "operand \(operand) is not an earlier node; nodes are in evaluation order, so each operand comes before the node that uses it"
                    : "operand \(operand) is not a node number")
            }
            operands.append(operand)
        }
        let requestedName = try fields.value(for: "name").map { (node) throws(Diagnostic) in
            try text(node, path + ".name", limit: limits.maxNameLength, allowsLineBreaks: false)
        }
        if let note = fields.value(for: "note") {
            graph.annotations.notes[index] = try text(note, path + ".note", limit: limits.maxStringLength, allowsLineBreaks: true)
        }
        if let tensorField = fields.value(for: "tensor") {
            try appendTensorNode(op, opName: opName, tensorField, operands: operands, path: path, index: index, to: &graph)
            return requestedName
        }
        guard op != .tensor else { throw error(element, path, "a `tensor` node needs a \"tensor\" object: its kind, shape and values") }
        try checkArity(op, opName: opName, operands: operands.count, at: fields.value(for: "operands") ?? opNode, path: path)
        let partialNodes = try fields.value(for: "partials").map { (node) throws(Diagnostic) in try array(node, path + ".partials") } ?? []
        guard partialNodes.count == operands.count else {
            throw error(fields.value(for: "partials") ?? element, path + ".partials",
                        "\(partialNodes.count) local derivative\(partialNodes.count == 1 ? "" : "s") for \(operands.count) operand\(operands.count == 1 ? "" : "s"); give one ∂node/∂operand per operand, in operand order")
        }
        var partials: [Double] = []
        partials.reserveCapacity(partialNodes.count)
        for (slot, partialNode) in partialNodes.enumerated() {
            partials.append(try number(partialNode, "\(path).partials[\(slot)]", allowsNonFinite: true))
        }
        let valueNode = try required(fields, "value", in: element, path)
        let value = try number(valueNode, path + ".value", allowsNonFinite: !op.isLeaf)
        var parameter = 0.0
        let parameterNode = fields.value(for: "parameter")
        if op.hasParameter {
            guard let parameterNode else { throw error(element, path, "`\(opName)` needs a \"parameter\": the constant it applies") }
            parameter = try number(parameterNode, path + ".parameter", allowsNonFinite: true)
        } else if let parameterNode {
            throw error(parameterNode, path + ".parameter", "`\(opName)` takes no parameter")
        }
        graph.appendRecorded(op, operands: operands, partials: partials, value: value, parameter: parameter)
        return requestedName
    }

    private func checkArity(_ op: Op, opName: String, operands count: Int, at node: JSONNode, path: String) throws(Diagnostic) {
        if op.isLeaf {
            guard count == 0 else { throw error(node, path + ".operands", "`\(opName)` is a leaf and has no operands") }
        } else if let arity = op.arity {
            guard count == arity else {
                throw error(node, path + ".operands", "`\(opName)` takes \(arity) operand\(arity == 1 ? "" : "s"), not \(count)")
            }
        } else if count == 0 {
            throw error(node, path + ".operands", "`\(opName)` needs at least one operand")
        }
    }

    /// Names made unique the way a scene versions a reassigned name (`w`, `w₂`, `w₃`); unnamed
    /// nodes are called `n` and their number.
    static func uniqueNames(_ requested: [String?]) -> [NodeID: String] {
        var taken = Set(requested.compactMap { $0 })
        var seen = Set<String>()
        // The next version to try for each repeated name, so that n repeats cost O(n), not O(n²).
        var nextVersion: [String: Int] = [:]
        var names: [NodeID: String] = [:]
        names.reserveCapacity(requested.count)
        for (node, name) in requested.enumerated() {
            if let name, seen.insert(name).inserted {
                names[node] = name
                continue
            }
            let base = name ?? "n\(node)"
            var candidate = base
            var version = nextVersion[base] ?? (name == nil ? 1 : 2)
            while taken.contains(candidate) {
                candidate = name == nil ? "\(base)_\(version)" : base + subscriptDigits(version)
                version += 1
            }
            nextVersion[base] = version
            taken.insert(candidate)
            names[node] = candidate
        }
        return names
    }

    private static func subscriptDigits(_ number: Int) -> String {
        String(String(number).unicodeScalars.map { Character(Unicode.Scalar(0x2080 + $0.value - 0x30)!) })
    }

    // MARK: Groups and outputs

    private func readGroups(_ groupsNode: JSONNode, into graph: inout Graph) throws(Diagnostic) {
        for (index, element) in try array(groupsNode, "groups").enumerated() {
            let path = "groups[\(index)]"
            let fields = try object(element, path)
            let label = try text(try required(fields, "label", in: element, path), path + ".label",
                                 limit: limits.maxStringLength, allowsLineBreaks: false)
            let firstNode = try required(fields, "first", in: element, path)
            let first = try integer(firstNode, path + ".first")
            let countNode = try required(fields, "count", in: element, path)
            let count = try integer(countNode, path + ".count")
            guard first >= 0, first <= graph.count else { throw error(firstNode, path + ".first", "\(first) is not a node number") }
            guard count >= 0, count <= graph.count - first else {
                throw error(countNode, path + ".count", "\(count) nodes from node \(first) run past the last node, \(graph.count - 1)")
            }
            let nodes = first..<(first + count)
            var parent: Int?
            if let parentNode = fields.value(for: "parent"), !parentNode.isNull {
                let given = try integer(parentNode, path + ".parent")
                guard given >= 0, given < index else {
                    throw error(parentNode, path + ".parent", "the parent must be an earlier group (a number below \(index))")
                }
                guard graph.annotations.groups[given].nodes.contains(nodes) else {
                    throw error(element, path, "its nodes \(first)…\(first + count - 1) are not all inside its parent group \(given)")
                }
                parent = given
            }
            // Groups nest: every node of this group must so far belong to exactly its parent.
            for node in nodes where graph.annotations.groupOfNode[node] != parent {
                throw error(element, path, "it overlaps group \(graph.annotations.groupOfNode[node].map(String.init) ?? "?") without being nested in it")
            }
            graph.annotations.groups.append(Annotations.Group(label: label, parent: parent, nodes: nodes))
            graph.annotations.groupOfNode.assign(nodes, to: index)
        }
    }

    private func readOutputs(_ outputsNode: JSONNode, into graph: inout Graph) throws(Diagnostic) {
        let list = try array(outputsNode, "outputs")
        guard !list.isEmpty else { throw error(outputsNode, "outputs", "the graph has no output; name at least one node whose gradient to take") }
        var seen = Set<String>()
        for (index, element) in list.enumerated() {
            let path = "outputs[\(index)]"
            let fields = try object(element, path)
            let nodeField = try required(fields, "node", in: element, path)
            let node = try integer(nodeField, path + ".node")
            guard node >= 0, node < graph.count else { throw error(nodeField, path + ".node", "\(node) is not a node number (the graph has \(graph.count) nodes)") }
            let name = try fields.value(for: "name").map { (field) throws(Diagnostic) in
                try text(field, path + ".name", limit: limits.maxNameLength, allowsLineBreaks: false)
            } ?? graph.label(of: node)
            guard seen.insert(name).inserted else { throw error(element, path, "a second output called `\(name)`") }
            graph.annotations.outputs.append(NamedNode(name: name, node: node))
        }
    }
}

// MARK: Typed access to JSON values

typealias Members = [(key: String, node: JSONNode)]

extension Array where Element == (key: String, node: JSONNode) {
    func value(for key: String) -> JSONNode? { first { $0.key == key }?.node }
}

extension JSONNode {
    var isNull: Bool { if case .null = value { true } else { false } }
}

extension GraphFileReader {
    func object(_ node: JSONNode, _ path: String) throws(Diagnostic) -> Members {
        guard case .object(let members) = node.value else { throw error(node, path, "expected an object, found \(node.value.kind)") }
        return members
    }

    func array(_ node: JSONNode, _ path: String) throws(Diagnostic) -> [JSONNode] {
        guard case .array(let elements) = node.value else { throw error(node, path, "expected a list, found \(node.value.kind)") }
        return elements
    }

    func required(_ members: Members, _ key: String, in node: JSONNode, _ path: String) throws(Diagnostic) -> JSONNode {
        guard let value = members.value(for: key) else {
            throw error(node, path, "the key \"\(key)\" is missing")
        }
        return value
    }

    func integer(_ node: JSONNode, _ path: String) throws(Diagnostic) -> Int {
        guard case .number(_, let integer?) = node.value, integer >= 0, integer < Int(UInt32.max) else {
            throw error(node, path, "expected a whole number from 0, found \(node.value.kind)")
        }
        return integer
    }

    /// A number; NaN and ±infinity are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, and are
    /// refused where `allowsNonFinite` is false (the value of an input or a constant).
    func number(_ node: JSONNode, _ path: String, allowsNonFinite: Bool) throws(Diagnostic) -> Double {
        switch node.value {
        case .number(let value, _):
            return value
        case .string(let word) where ["NaN", "Infinity", "-Infinity"].contains(word):
            guard allowsNonFinite else { throw error(node, path, "a leaf's value must be a finite number, not \(word)") }
            return word == "NaN" ? .nan : (word == "Infinity" ? .infinity : -.infinity)
        default:
            throw error(node, path, "expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found \(node.value.kind)")
        }
    }

    /// A string shown to people: not empty, at most `limit` characters, and free of control and
    /// format characters that could move a terminal's cursor or hide text (line breaks only in
    /// notes).
    func text(_ node: JSONNode, _ path: String, limit: Int, allowsLineBreaks: Bool) throws(Diagnostic) -> String {
        guard case .string(let string) = node.value else { throw error(node, path, "expected a string, found \(node.value.kind)") }
        guard !string.isEmpty else { throw error(node, path, "the string is empty") }
        var count = 0
        for scalar in string.unicodeScalars {
            count += 1
            guard count <= limit else { throw error(node, path, "longer than \(limit) characters") }
            if allowsLineBreaks && (scalar == "\n" || scalar == "\t") { continue }
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            let category = scalar.properties.generalCategory
            if isControl || category == .format || category == .lineSeparator || category == .paragraphSeparator {
                throw error(node, path, "the string holds the control character U+\(JSONParser.hex(scalar.value))")
            }
        }
        return string
    }
}
