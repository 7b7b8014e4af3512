import Foundation

/// Escaping of user strings (titles, names, notes, group labels) for every language we write.
///
/// Scenes may contain anything in their strings; none of it may become markup, break a DOT
/// file, or put an invisible control character into a picture.
enum Escape {
    /// Text for a Graphviz HTML-like label (and for HTML or SVG text content and attributes):
    /// `& < > " '` as entities, newlines as `<br/>` when `lineBreaks` is set (else a space),
    /// other control characters as visible replacement symbols.
    ///
    /// `]]>` needs no care of its own: its `>` becomes `&gt;`. A backslash gets a word joiner.
    ///
    /// Empty text becomes a no-break space: Graphviz rejects a `<b>` or `<font>` with nothing in it.
    static func html(_ text: String, lineBreaks: Bool = false) -> String {
        text.isEmpty ? "&#160;" : markup(text, lineBreaks: lineBreaks, forGraphviz: true)
    }

    /// Text for an HTML page's own text and attributes (not read by Graphviz): as ``html(_:lineBreaks:)``
    /// without the word joiners.
    static func page(_ text: String) -> String {
        markup(text, lineBreaks: false, forGraphviz: false)
    }

    private static func markup(_ text: String, lineBreaks: Bool, forGraphviz: Bool) -> String {
        if isPlain(text) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in normalisedLines(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n": result += lineBreaks ? "<br/>" : " "
            case "\\": result += forGraphviz ? "\\" + wordJoiner : "\\"
            default: result.unicodeScalars.append(visible(scalar))
            }
        }
        return result
    }

    /// Text for a double-quoted DOT string (tooltips, ids): quotes and backslashes escaped,
    /// newlines as Graphviz's `\n`, control characters made visible.
    ///
    /// A backslash is written `\\` (DOT's way of writing one) followed by a word joiner.
    ///
    /// Graphviz's lexer refuses a quoted run longer than 16 KiB (a note of 4,096 emoji, a
    /// `sum` of 6,000 terms), so every ``dotPieceLength`` bytes the string is closed and reopened
    /// with DOT's concatenation, `" + "`: callers always put the result between double quotes.
    static func dotString(_ text: String) -> String {
        if text.utf8.count <= dotPieceLength && isPlain(text) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 2)
        var pieceStart = 0
        for scalar in normalisedLines(text).unicodeScalars {
            if result.utf8.count - pieceStart >= dotPieceLength {
                result += "\" + \""
                pieceStart = result.utf8.count
            }
            switch scalar {
            case "\\": result += "\\\\" + wordJoiner
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(visible(scalar))
            }
        }
        return result
    }

    /// Whether no character of `text` needs escaping in any of our languages: the common case
    /// (names such as `x1`, `v₂`), answered from the UTF-8 bytes without building a new string.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case 0x00...0x1F, 0x7F, UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                 UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): false
            // C1 controls and U+FFFE/U+FFFF are multi-byte; take the slow path for any lead byte
            // that can start them (0xC2: U+0080–U+00BF, 0xEF: U+F000–U+FFFF).
            case 0xC2, 0xEF: false
            default: true
            }
        }
    }

    /// The longest run of a quoted DOT string between concatenations; several pieces of one
    /// string (a tooltip's expression and note) together stay well under Graphviz's 16 KiB.
    static let dotPieceLength = 4_000

    /// Follows every backslash, so that Graphviz sees no escape sequence (see the type's discussion).
    static let wordJoiner = "\u{2060}"

    /// `\r\n` and lone `\r` as `\n`, so that every platform's line breaks mean one thing.
    private static func normalisedLines(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// A control character as its Unicode "control picture" (␀ for NUL, ␉ for tab, ␡ for DEL);
    /// other C1 controls and non-characters as U+FFFD. Everything else unchanged.
    static func visible(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x00...0x1F: Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F: "\u{2421}"
        case 0x80...0x9F, 0xFFFE, 0xFFFF: "\u{FFFD}"
        default: scalar
        }
    }
}
