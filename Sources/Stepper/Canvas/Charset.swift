/// Which characters the terminal can show: all of Unicode, or ASCII only.
///
/// The stepper draws boxes, arrows and mathematical signs when the locale is UTF-8. Otherwise
/// every string that reaches the screen goes through ``Charset/transliterate(_:)``, which
/// replaces each sign by an ASCII spelling and anything else outside ASCII by `?`, so that a
/// non-UTF-8 terminal never receives bytes it would print as garbage.
public enum Charset: Sendable, Equatable {
    case unicode
    case ascii

    /// `text` as it may be shown with this character set.
    public func transliterate(_ text: String) -> String {
        guard self == .ascii, !text.utf8.allSatisfy({ $0 < 0x80 }) else { return text }
        var result = ""
        for character in text { result += Charset.asciiSpelling(of: character) }
        return result
    }

    /// The ASCII spelling of one character.
    static func asciiSpelling(of character: Character) -> String {
        if character.isASCII { return String(character) }
        if let spelling = asciiSpellings[character] { return spelling }
        // A base letter with combining marks (x̄) keeps its base; the notation helpers spell
        // adjoints and tangents out in ASCII themselves, so nothing meaningful is lost here.
        if let base = character.unicodeScalars.first, base.isASCII, DisplayWidth.of(character) == 1 {
            return String(Character(base))
        }
        if let digit = subscriptDigits.firstIndex(of: character) {
            return "_" + String(subscriptDigits.distance(from: subscriptDigits.startIndex, to: digit))
        }
        return "?"
    }

    private static let subscriptDigits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]

    private static let asciiSpellings: [Character: String] = [
        "─": "-", "━": "=", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "╭": "+", "╮": "+", "╰": "+", "╯": "+", "┏": "#", "┓": "#", "┗": "#", "┛": "#",
        "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "═": "=", "║": "|",
        "·": "*", "×": "*", "−": "-", "÷": "/", "∂": "d", "→": "->", "←": "<-", "↦": "->",
        "▶": ">", "◀": "<", "▲": "^", "▼": "v", "▸": ">", "▾": "v", "…": "...", "•": "*",
        "≈": "~", "≤": "<=", "≥": ">=", "≠": "!=", "√": "sqrt", "⏸": "||", "⏵": ">", "█": "#",
        "‖": "||", "“": "\"", "”": "\"", "‘": "'", "’": "'", "–": "-", "—": "-",
    ]
}
