import Foundation
import FoundationXML
import GradFlow
import Testing
import TestSupport
@testable import GraphExport

/// Scene strings that try to break out of every language export writes.
@Suite("Hostile names, notes and titles")
struct HostileInputTests {
    static let hostile = [
        #"quote " and \" backslash \ \N \G \L \n"#,
        "<script>alert(1)</script>",
        "]]> <![CDATA[ x ]]> --> <!-- {braces} [brackets]",
        "line\nbreak\r\nand\rcarriage",
        "control \u{0} \u{7} \u{1B}[31m \u{7F} \u{85}",
        "&amp; &lt; &#60; & ; '",
        "<b>bold</b> <font color=\"red\">x</font> <br/>",
        "",
    ]

    /// A graph whose every string is hostile: names, notes, a group label and the title.
    static func hostileGraph() -> Graph {
        var graph = Graph()
        var previous = graph.appendLeaf(.input, value: 1.5, name: hostile[0])
        for (index, text) in hostile.enumerated().dropFirst() {
            previous = graph.append(.sin, previous)
            graph.annotations.names[previous] = text
            graph.annotations.notes[previous] = "note: " + hostile[(index + 1) % hostile.count]
        }
        graph.annotations.groups = [.init(label: hostile[1], parent: nil, nodes: 1..<3)]
        graph.annotations.groupOfNode = [1: 0, 2: 0]
        graph.annotations.title = hostile.joined(separator: " | ")
        graph.annotations.outputs = [.init(name: "out", node: previous)]
        return graph
    }

    static let allowedSVGElements: Set<String> = ["svg", "g", "title", "polygon", "path", "ellipse", "text", "a", "polyline"]

    @Test("the DOT is accepted by Graphviz and the SVG has no markup from the scene", arguments: Theme.allCases)
    func svgIsSafe(theme: Theme) throws {
        var options = ExportOptions()
        options.theme = theme
        let writer = DiagramWriter(timeline: Fixtures.reverse(Self.hostileGraph()), options: options)
        for state in [DiagramState(final: writer.timeline), DiagramState(timeline: writer.timeline, step: 3)] {
            let bytes = try Exporter.picture(writer, state: state, format: .svg)
            let svg = try SVGReader(bytes)
            #expect(svg.elementNames.isSubset(of: Self.allowedSVGElements), "unexpected elements \(svg.elementNames)")
            // The strings are there, as text: names read back exactly (word joiners aside), and
            // Graphviz's \N, \G, \L were not replaced by the node's name, the graph's, the label.
            #expect(try svg.texts(ofNode: "n1").first == Self.hostile[1])
            let backslashes = try svg.texts(ofNode: "n0").first?.replacingOccurrences(of: Escape.wordJoiner, with: "")
            #expect(backslashes == Self.hostile[0])
            let tooltips = try svg.document.nodes(forXPath: "//*[local-name()='a']").compactMap {
                ($0 as? XMLElement)?.attribute(forName: "xlink:title")?.stringValue?.replacingOccurrences(of: Escape.wordJoiner, with: "")
            }
            #expect(tooltips.contains { $0.hasPrefix(Self.hostile[0] + " = 1.5") })
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("<script"))
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        }
    }

    @Test("PNG and PDF render the hostile graph too")
    func rasterFormats() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(Self.hostileGraph()))
        let state = DiagramState(final: writer.timeline)
        #expect(try Exporter.picture(writer, state: state, format: .png).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try Exporter.picture(writer, state: state, format: .pdf).starts(with: Array("%PDF".utf8)))
    }

    @Test("the HTML page parses as XML and has exactly one script, ours")
    func htmlIsSafe() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(Self.hostileGraph()))
        let page = try Exporter.player(writer)
        let document = try XMLDocument(data: Data(page.utf8), options: [])
        let scripts = try document.nodes(forXPath: "//*[local-name()='script']")
        #expect(scripts.count == 1)
        let frames = try document.nodes(forXPath: "//*[local-name()='section']")
        #expect(frames.count == writer.timeline.count + 1)
        let title = try document.nodes(forXPath: "//*[local-name()='title']").first?.stringValue
        #expect(title?.hasPrefix(Self.hostile[0].replacingOccurrences(of: "\n", with: " ")) == true)
    }

    @Test("escaping for DOT strings and HTML labels")
    func escaping() {
        #expect(Escape.dotString(#"a"b\c"#) == #"a\"b\\"# + Escape.wordJoiner + "c")
        #expect(Escape.dotString("one\ntwo\r\nthree") == #"one\ntwo\nthree"#)
        #expect(Escape.dotString("bell\u{7}") == "bell\u{2407}")
        #expect(Escape.html("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;")
        #expect(Escape.html("]]>") == "]]&gt;")
        #expect(Escape.html(#"\N"#) == "\\" + Escape.wordJoiner + "N")
        #expect(Escape.html("a\nb", lineBreaks: true) == "a<br/>b")
        #expect(Escape.html("a\nb") == "a b")
        #expect(Escape.html("nul\u{0}del\u{7F}c1\u{85}") == "nul\u{2400}del\u{2421}c1\u{FFFD}")
    }
}
