import Foundation
import FoundationXML

/// A Graphviz SVG parsed as XML, with the text of each node (by its DOT name) at hand.
struct SVGReader {
    let document: XMLDocument

    /// Parses `bytes`; throws if they are not well-formed XML.
    init(_ bytes: [UInt8]) throws {
        document = try XMLDocument(data: Data(bytes), options: [])
    }

    /// The `<g class="node">` (or `edge`, `cluster`) groups, keyed by their `<title>` (`n3`, `n0->n3`).
    func groups(class kind: String) throws -> [String: XMLElement] {
        let elements = try document.nodes(forXPath: "//*[local-name()='g'][@class='\(kind)']").compactMap { $0 as? XMLElement }
        var result: [String: XMLElement] = [:]
        for element in elements {
            let title = element.elements(forName: "title").first?.stringValue ?? ""
            result[title] = element
        }
        return result
    }

    /// The text pieces drawn for DOT node `name`, in document order.
    func texts(ofNode name: String) throws -> [String] {
        guard let group = try groups(class: "node")[name] else { return [] }
        return try group.nodes(forXPath: ".//*[local-name()='text']").compactMap { $0.stringValue }
    }

    /// The number shown after `key` (`value`, `grad`) in node `name`, as drawn.
    func number(_ key: String, ofNode name: String) throws -> String? {
        let texts = try texts(ofNode: name)
        guard let index = texts.firstIndex(of: key), index + 1 < texts.count else { return nil }
        return texts[index + 1]
    }

    /// Every element name used anywhere in the document.
    var elementNames: Set<String> {
        var names = Set<String>()
        var stack: [XMLNode] = [document]
        while let node = stack.popLast() {
            if let element = node as? XMLElement, let name = element.localName { names.insert(name) }
            stack.append(contentsOf: node.children ?? [])
        }
        return names
    }
}
