import Foundation
import Testing
import Escaping
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Strings a scene or a graph file may carry, written into JSON and markup.
struct HostileStringTests {
    static let hostile: [String] = [
        "plain x1", "", "quote \" and backslash \\", "</text><script>alert(1)</script>", "a & b; &amp; already",
        "]]> and <![CDATA[", "it's", "NUL \u{0} BEL \u{7} ESC \u{1B}[31m", "DEL \u{7F}", "C1 \u{85} \u{9B}",
        "line\nbreak\r\nand\rreturns", "tab\there", "separators \u{2028} \u{2029}", "emoji 👩‍🔬 and x̄1",
        "non-characters \u{FFFE}\u{FFFF}", "\\u0041 written out", String(repeating: "<&>", count: 2_000),
    ]

    @Test("every JSON literal reads back as the same string, and none holds a raw control or line separator",
          arguments: hostile)
    func jsonRoundTrips(_ text: String) throws {
        let literal = JSONText.quoted(text)
        let read = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: [.fragmentsAllowed]) as? String
        #expect(read == text)
        #expect(!literal.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" })
    }

    @Test func jsonEscapesAsExpected() {
        #expect(JSONText.quoted("a\"b\\c\nd\u{1}\u{7F}\u{2028}") == #""a\"b\\c\nd\u0001\u007F\u2028""#)
    }

    @Test("every markup text is well-formed inside an element and an attribute, with no raw control character",
          arguments: hostile)
    func markupIsWellFormed(_ text: String) throws {
        let escaped = XMLText.escaped(text)
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value >= 0xFFFE && $0.value <= 0xFFFF })
        let document = "<svg><text a=\"\(escaped)\" b='\(escaped)'>\(escaped)</text></svg>"
        let parser = XMLParser(data: Data(document.utf8))
        let reader = TextReader()
        parser.delegate = reader
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "") in \(document.prefix(200))")
        #expect(reader.elements == ["svg", "text"])
        // What a reader gets back is the text itself, with line breaks as spaces and controls as their pictures.
        #expect(reader.text == reader.attributes["a"] && reader.text == reader.attributes["b"])
        if !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value >= 0x7F && $0.value <= 0x9F || $0.value >= 0xFFFE && $0.value <= 0xFFFF }) {
            #expect(reader.text == text)
        }
    }

    @Test func markupEscapesAsExpected() {
        #expect(XMLText.escaped("a<b>&\"'\u{0}\u{7F}\u{85}") == "a&lt;b&gt;&amp;&quot;&#39;␀␡\u{FFFD}")
        #expect(XMLText.escaped("one\r\ntwo\rthree\nfour", newline: "<br/>") == "one<br/>two<br/>three<br/>four")
        #expect(XMLText.escaped("x1") == "x1")
    }
}

/// Collects what an XML parser reads: element names, the text, the attributes.
private final class TextReader: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var text = ""
    var attributes: [String: String] = [:]

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
        if name == "text" { self.attributes = attributes }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
