import Escaping
import Foundation

/// Escaping of user strings (titles, names, notes, group labels) for Graphviz: its HTML-like
/// labels and DOT strings. Markup itself is escaped by ``XMLText``; what is Graphviz's own is
/// here.
enum Escape {
    /// Text for a Graphviz HTML-like label (and for HTML or SVG text content and attributes):
    /// `& < > " '` as entities, newlines as `<br/>` when `lineBreaks` is set (else a space),
    /// other control characters as visible replacement symbols.
    ///
    /// `]]>` needs no care of its own: its `>` becomes `&gt;`. A backslash gets a word joiner.
    ///
    /// Empty text becomes a no-break space: Graphviz rejects a `<b>` or `<font>` with nothing in it.
    static func html(_ text: String, lineBreaks: Bool = false) -> String {
        if text.isEmpty { return "&#160;" }
        let escaped = XMLText.escaped(text, newline: lineBreaks ? "<br/>" : " ")
        return escaped.contains("\\") ? escaped.replacingOccurrences(of: "\\", with: "\\" + wordJoiner) : escaped
    }

    /// Text for an HTML page's own text and attributes (not read by Graphviz): as ``html(_:lineBreaks:)``
    /// without the word joiners.
    static func page(_ text: String) -> String { XMLText.escaped(text) }

    /// Text for a double-quoted DOT string (tooltips, ids): quotes and backslashes escaped,
    /// newlines as Graphviz's `\n`, control characters made visible.
    ///
    /// A backslash is written `\\` (DOT's way of writing one) followed by a word joiner.
    ///
    /// Graphviz's lexer refuses a quoted run longer than 16 KiB (a note of 4,096 emoji, a
    /// `sum` of 6,000 terms), so every ``dotPieceLength`` bytes the string is closed and reopened
    /// with DOT's concatenation, `" + "`: callers always put the result between double quotes.
    static func dotString(_ text: String) -> String {
        if text.utf8.count <= dotPieceLength && XMLText.isPlain(text) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 2)
        var pieceStart = 0
        for scalar in XMLText.normalisedLines(text).unicodeScalars {
            if result.utf8.count - pieceStart >= dotPieceLength {
                result += "\" + \""
                pieceStart = result.utf8.count
            }
            switch scalar {
            case "\\": result += "\\\\" + wordJoiner
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(XMLText.visible(scalar))
            }
        }
        return result
    }

    /// The longest run of a quoted DOT string between concatenations; several pieces of one
    /// string (a tooltip's expression and note) together stay well under Graphviz's 16 KiB.
    static let dotPieceLength = 4_000

    /// Follows every backslash, so that Graphviz sees no escape sequence (see the type's discussion).
    static let wordJoiner = "\u{2060}"
}
