/// User text (titles, names, notes, labels) written into JSON and into XML-like markup (SVG,
/// HTML, Graphviz labels): the one place each is escaped.
///
/// Scenes and graph files may hold anything in their strings; none of it may end a string
/// early, become markup, or put an invisible control character into a file.

/// JSON string literals.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included: `"` and `\` escaped, `\n` `\r` `\t` in
    /// their short forms, every other control character and DEL as `\u00XX`, and U+2028/U+2029
    /// as `\u2028`/`\u2029`, which JSON allows raw but JavaScript did not until ES2019, so a
    /// literal stays valid when a page embeds it in a script.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let digits = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Text content and attribute values of XML, SVG and HTML.
public enum XMLText {
    /// `text` safe inside an element or a quoted attribute: `& < > " '` as entities; `\r\n` and
    /// `\r` read as `\n`, which becomes `newline` (a space unless the caller breaks lines its
    /// own way, as Graphviz's `<br/>`); other control characters, which XML 1.0 forbids, made
    /// visible (``visible(_:)``).
    ///
    /// `]]>` needs no care of its own: its `>` becomes `&gt;`.
    public static func escaped(_ text: String, newline: String = " ") -> String {
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
            case "\n": result += newline
            default: result.unicodeScalars.append(visible(scalar))
            }
        }
        return result
    }

    /// A control character as its Unicode "control picture" (␀ for NUL, ␉ for tab, ␡ for DEL);
    /// other C1 controls and the non-characters U+FFFE/U+FFFF as U+FFFD. Everything else unchanged.
    public static func visible(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x00...0x1F: Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F: "\u{2421}"
        case 0x80...0x9F, 0xFFFE, 0xFFFF: "\u{FFFD}"
        default: scalar
        }
    }

    /// `\r\n` and lone `\r` as `\n`, so that every platform's line breaks mean one thing.
    public static func normalisedLines(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else { return text }
        var result = ""
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasReturn { previousWasReturn = false; continue }
            previousWasReturn = scalar == "\r"
            result.unicodeScalars.append(previousWasReturn ? "\n" : scalar)
        }
        return result
    }

    /// Whether no character of `text` needs escaping in markup, DOT or JSON: the common case
    /// (names such as `x1`, `v₂`), answered from the UTF-8 bytes without building a new string.
    public static func isPlain(_ text: String) -> Bool {
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
}
