import Escaping
import GradFlow
import SceneLanguage

extension GraphFile {
    /// The graph file of a traced scene (or of a graph read from one): one node per line, so that
    /// a person can read it and a diff of two captures shows what changed.
    ///
    /// Numbers are written in the shortest form that reads back to the same `Double`, so reading
    /// the file gives the graph bit for bit; NaN and ±infinity as the strings `"NaN"`,
    /// `"Infinity"`, `"-Infinity"`.
    /// - Complexity: O(nodes + operands), written into one string.
    public static func text(of scene: Scene, producer: String = "gradflow") -> String {
        let graph = scene.graph
        var out = "{\n"
        out += "  \"format\": \(JSONText.quoted(formatName)),\n"
        out += "  \"version\": \(version),\n"
        out += "  \"producer\": \(JSONText.quoted(producer)),\n"
        if graph.hasTensors { out += "  \"requires\": [\(JSONText.quoted(tensorsExtension))],\n" }
        if let title = graph.annotations.title { out += "  \"title\": \(JSONText.quoted(title)),\n" }
        out += "  \"nodes\": [\n"
        for node in graph.nodes {
            let op = graph.ops[node]
            out += "    {\"id\": \(node), \"op\": \(JSONText.quoted(name(of: op)))"
            if let name = graph.annotations.names[node] { out += ", \"name\": \(JSONText.quoted(name))" }
            if op.hasParameter { out += ", \"parameter\": \(number(graph.parameters[node]))" }
            if !op.isLeaf {
                out += ", \"operands\": [\(graph.operands(of: node).map(String.init).joined(separator: ", "))]"
            }
            if let tensor = tensorObject(of: node, in: graph) {
                out += ", \"tensor\": \(tensor)"
            } else {
                if !op.isLeaf { out += ", \"partials\": [\(graph.partials(of: node).map(number).joined(separator: ", "))]" }
                out += ", \"value\": \(number(graph.values[node]))"
            }
            if let note = graph.annotations.notes[node] { out += ", \"note\": \(JSONText.quoted(note))" }
            out += node == graph.count - 1 ? "}\n" : "},\n"
        }
        out += "  ],\n"
        let groups = graph.annotations.groups
        if !groups.isEmpty {
            out += "  \"groups\": [\n"
            for (index, group) in groups.enumerated() {
                out += "    {\"label\": \(JSONText.quoted(group.label)), \"first\": \(group.nodes.lowerBound), \"count\": \(group.nodes.count)"
                if let parent = group.parent { out += ", \"parent\": \(parent)" }
                out += index == groups.count - 1 ? "}\n" : "},\n"
            }
            out += "  ],\n"
        }
        let outputs = scene.outputs.map { "{\"name\": \(JSONText.quoted($0.name)), \"node\": \($0.node)}" }
        out += "  \"outputs\": [\(outputs.joined(separator: ", "))]\n"
        out += "}\n"
        return out
    }

    /// A JSON number, or one of the strings that stand for NaN and the infinities.
    static func number(_ x: Double) -> String {
        let text = NumberFormat.exact(x)
        return x.isFinite ? text : "\"\(text)\""
    }
}
