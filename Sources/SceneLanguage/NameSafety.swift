/// Names that would deceive a reader (Unicode's identifier and confusable rules, UAX #31 and
/// UAX #39, reduced to what a scene needs): an invisible character in a name, a name that mixes
/// Cyrillic with Latin or Greek letters (`xх`), or a name in Cyrillic letters that all look like
/// Latin ones (`х` beside `x`). Latin with Greek stays allowed: `xα` is ordinary mathematics.
enum NameSafety {
    /// Why `name` is refused, or nil.
    static func problem(with name: String) -> String? {
        if name.unicodeScalars.allSatisfy(\.isASCII) { return nil }
        if let invisible = name.unicodeScalars.first(where: { $0.properties.isDefaultIgnorableCodePoint }) {
            return "the name contains \(Lexer.codePoint(invisible)), an invisible character; write names with visible letters"
        }
        var scripts = Set<Script>()
        for scalar in name.unicodeScalars { if let script = Script(scalar) { scripts.insert(script) } }
        if scripts.contains(.cyrillic) && scripts.count > 1 {
            let others = scripts.subtracting([.cyrillic]).map(\.rawValue).sorted().joined(separator: " and ")
            return "the name `\(name)` mixes Cyrillic with \(others) letters, which can look the same; write it in one script"
        }
        if scripts == [.cyrillic], name.unicodeScalars.allSatisfy({ latinLookalikes[$0] != nil || ("0"..."9").contains($0) || $0 == "_" }) {
            let latin = String(String.UnicodeScalarView(name.unicodeScalars.map { latinLookalikes[$0] ?? $0 }))
            return "the name `\(name)` is written in Cyrillic letters that look like the Latin `\(latin)`; write it in Latin letters"
        }
        return nil
    }

    enum Script: String {
        case latin = "Latin", greek = "Greek", cyrillic = "Cyrillic"

        init?(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: self = .latin
            case 0x370...0x3FF, 0x1F00...0x1FFF: self = .greek
            case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: self = .cyrillic
            default: return nil
            }
        }
    }

    /// Cyrillic letters drawn like Latin ones in common fonts, with the Latin letter.
    static let latinLookalikes: [Unicode.Scalar: Unicode.Scalar] = [
        "а": "a", "в": "B", "е": "e", "к": "k", "м": "M", "н": "H", "о": "o", "р": "p", "с": "c", "т": "T",
        "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    ]
}
