import GradFlow

/// Reads Graphviz's `plain` output back into a ``GraphLayout``.
///
/// The format is line-based: `graph scale width height`, then
/// `node name x y width height label style shape color fillcolor` per node and
/// `edge tail head n x1 y1 … xn yn [label lx ly] style color` per edge, then `stop`. Names and
/// labels may be double-quoted. All lengths are in inches. Nodes must be named `n<id>`, as ``GraphvizLayout`` writes them.
enum PlainLayoutParser {
    /// Parses `text`; throws a ``GraphvizError`` naming the line it could not read.
    static func parse(_ text: String) throws -> GraphLayout {
        var layout = GraphLayout(width: 0, height: 0, nodes: [], edges: [])
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = tokens(of: Substring(line))
            guard let kind = fields.first else { continue }
            func malformed() -> GraphvizError {
                GraphvizError(operation: "reading the layout",
                              messages: ["line \(index + 1) of the plain output is malformed: \(line)"])
            }
            func number(_ position: Int) throws -> Double {
                guard position < fields.count, let value = Double(fields[position]), value.isFinite else {
                    throw malformed()
                }
                return value
            }
            func node(_ position: Int) throws -> NodeID {
                guard position < fields.count, fields[position].hasPrefix("n"),
                      let id = Int(fields[position].dropFirst()) else { throw malformed() }
                return id
            }
            switch kind {
            case "graph":
                // Field 1 is the zoom; coordinates are in unscaled inches and we never set `size`.
                layout.width = try number(2)
                layout.height = try number(3)
            case "node":
                layout.nodes.append(GraphLayout.NodeBox(
                    node: try node(1), x: try number(2), y: try number(3),
                    width: try number(4), height: try number(5)))
            case "edge":
                guard fields.count > 3, let pointCount = Int(fields[3]), pointCount >= 0,
                      fields.count >= 4 + 2 * pointCount else { throw malformed() }
                var points: [GraphLayout.Point] = []
                points.reserveCapacity(pointCount)
                for point in 0..<pointCount {
                    points.append(GraphLayout.Point(x: try number(4 + 2 * point), y: try number(5 + 2 * point)))
                }
                layout.edges.append(GraphLayout.EdgePath(from: try node(1), to: try node(2), points: points))
            case "stop":
                return layout
            default:
                throw malformed()
            }
        }
        return layout
    }

    /// Splits a line on spaces, keeping double-quoted fields (with `\"` escapes) whole and unquoted.
    static func tokens(of line: Substring) -> [String] {
        var result: [String] = []
        var current = ""
        var inQuotes = false, escaped = false, hasToken = false
        for character in line {
            if inQuotes {
                if escaped {
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inQuotes = false
                } else {
                    current.append(character)
                }
            } else if character == " " || character == "\t" {
                if hasToken { result.append(current) }
                current = ""
                hasToken = false
            } else if character == "\"" {
                inQuotes = true
                hasToken = true
            } else {
                current.append(character)
                hasToken = true
            }
        }
        if hasToken { result.append(current) }
        return result
    }
}
