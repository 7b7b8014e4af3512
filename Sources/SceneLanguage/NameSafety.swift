import Foundation

/// Names that would deceive a reader (Unicode's identifier and confusable rules, UAX #31 and
/// UTS #39, reduced to what a scene needs):
/// - an invisible character in a name;
/// - a name that mixes scripts (`xх`, Latin and Cyrillic; Latin and Armenian `օ`), except Latin
///   with Greek letters that look like no Latin one (`xα` is ordinary mathematics, `xο` with a
///   Greek omicron is not) and the mixes Chinese, Japanese and Korean writing use;
/// - a name in Cyrillic letters that all look like Latin ones (`х` for `x`);
/// - two different names of one scene that look the same (`v` and Greek `ν`, `x` and
///   fullwidth `ｘ`): their skeletons (UTS #39's idea: compatibility forms folded, lookalike
///   letters mapped to the Latin letter they look like) are equal. See ``SkeletonTable``.
public enum NameSafety {
    /// Why `name` is refused on its own, or nil.
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
        if scripts == [.latin, .greek], let greek = name.unicodeScalars.first(where: { Script($0) == .greek && latinLookalikes[$0] != nil }) {
            return "the name `\(name)` mixes Latin letters with the Greek `\(greek)`, which looks like the Latin `\(latinLookalikes[greek]!)`; "
                + "write it in one script"
        }
        if scripts.count > 1, !Script.allowedMixes.contains(where: { scripts.isSubset(of: $0) }) {
            let listed = scripts.map(\.rawValue).sorted()
            return "the name `\(name)` mixes \(listed.dropLast().joined(separator: ", ")) and \(listed.last!) letters, "
                + "which can look the same; write it in one script"
        }
        return nil
    }

    /// What `name` looks like: compatibility forms folded (`ｘ`, `𝑥` → `x`) and letters of other
    /// scripts that look like Latin ones replaced by them (`ν` → `v`). ASCII names are their own.
    static func skeleton(of name: String) -> String {
        if name.unicodeScalars.allSatisfy(\.isASCII) { return name }
        let folded = name.precomposedStringWithCompatibilityMapping
        return String(String.UnicodeScalarView(folded.unicodeScalars.map { latinLookalikes[$0] ?? $0 }))
    }

    /// The deceiving names among `names` (the node names of a graph file, which other programs
    /// chose): each refused on its own, or looking like an earlier one. Index and message, in order.
    public static func problems(among names: [String]) -> [(index: Int, message: String)] {
        guard names.contains(where: { !$0.unicodeScalars.allSatisfy(\.isASCII) }) else { return [] }
        var found: [(index: Int, message: String)] = []
        var first: [String: String] = [:]
        for (index, name) in names.enumerated() {
            let skeleton = skeleton(of: name)
            if let problem = problem(with: name) {
                found.append((index, problem))
            } else if let earlier = first[skeleton], earlier != name {
                found.append((index, "the name `\(name)` looks like `\(earlier)` but is a different name"))
            }
            if first[skeleton] == nil { first[skeleton] = name }
        }
        return found
    }

    /// The message for `name`, which looks like `earlier`, a different name used before it.
    static func lookalike(_ name: String, of earlier: String, at position: String) -> String {
        "the name `\(name)` looks like `\(earlier)` (\(position)) but is a different name; "
            + "rename one so that a reader can tell them apart"
    }

    enum Script: String {
        case latin = "Latin", greek = "Greek", cyrillic = "Cyrillic", armenian = "Armenian", georgian = "Georgian",
             cherokee = "Cherokee", hebrew = "Hebrew", arabic = "Arabic", han = "Han", hiragana = "Hiragana",
             katakana = "Katakana", hangul = "Hangul", bopomofo = "Bopomofo"

        /// Latin with Greek (mathematics), and the scripts Chinese, Japanese and Korean are
        /// written in, each with Latin (UTS #39's highly restrictive level, plus Greek).
        static let allowedMixes: [Set<Script>] = [
            [.latin, .greek], [.latin, .han, .hiragana, .katakana], [.latin, .han, .bopomofo], [.latin, .han, .hangul],
        ]

        /// The script of a letter, for the scripts a lookalike can come from; nil for digits,
        /// `_`, combining marks and letters of other scripts.
        init?(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x250...0x2AF, 0x1E00...0x1EFF, 0x2C60...0x2C7F,
                 0xA720...0xA7FF, 0xAB30...0xAB6F, 0xFF21...0xFF3A, 0xFF41...0xFF5A: self = .latin
            case 0x370...0x3FF, 0x1F00...0x1FFF: self = .greek
            case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: self = .cyrillic
            case 0x531...0x58F, 0xFB13...0xFB17: self = .armenian
            case 0x10A0...0x10FF, 0x1C90...0x1CBF, 0x2D00...0x2D2F: self = .georgian
            case 0x13A0...0x13FF, 0xAB70...0xABBF: self = .cherokee
            case 0x591...0x5FF, 0xFB1D...0xFB4F: self = .hebrew
            case 0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: self = .arabic
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: self = .han
            case 0x3040...0x309F: self = .hiragana
            case 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9D: self = .katakana
            case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: self = .hangul
            case 0x3100...0x312F, 0x31A0...0x31BF: self = .bopomofo
            default: return nil
            }
        }
    }

    /// Letters of other scripts drawn like Latin ones in common fonts, with the Latin letter:
    /// Cyrillic, Greek (only those a terminal font draws as the Latin letter: `ο ν ρ` and
    /// capitals; `α` and `γ` are told apart from `a` and `y`), Armenian and Cherokee.
    static let latinLookalikes: [Unicode.Scalar: Unicode.Scalar] = [
        // Cyrillic
        "а": "a", "в": "B", "е": "e", "к": "k", "м": "M", "н": "H", "о": "o", "р": "p", "с": "c", "т": "T",
        "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
        // Greek
        "ο": "o", "ν": "v", "ρ": "p", "ϲ": "c", "ϳ": "j",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
        "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
        // Armenian
        "օ": "o", "ս": "u", "հ": "h", "ո": "n", "զ": "q", "Տ": "S", "Օ": "O",
        // Cherokee
        "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭼ": "E", "Ꮋ": "H", "Ꭻ": "J", "Ꮶ": "K", "Ꮮ": "L", "Ꮇ": "M",
        "Ꮲ": "P", "Ꮪ": "S", "Ꭲ": "T", "Ꮃ": "W", "Ꮓ": "Z",
    ]
}
