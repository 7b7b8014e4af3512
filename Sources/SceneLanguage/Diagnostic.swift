/// One error in a scene, with the position it was found at.
///
/// `line` and `column` are 1-based; `column` counts characters (extended grapheme clusters), so
/// `θ` or `σ` count as one. A diagnostic that has no position (an unreadable file) has `line` 0
/// and renders as a single line.
public struct Diagnostic: Error, Sendable, Equatable {
    public var fileName: String
    public var line: Int
    public var column: Int
    public var message: String
    /// The whole offending line, without its line break.
    public var sourceLine: String

    public init(fileName: String, line: Int, column: Int, message: String, sourceLine: String) {
        self.fileName = fileName
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// The diagnostic for a tool to print: `FILE:LINE:COLUMN: error: MESSAGE`, then the line and
    /// a caret under the column.
    ///
    /// Lines longer than ``displayWidth`` characters are shown as a window around the column
    /// (cut ends marked `…`), and control and format characters are shown as `�`, so that a
    /// diagnostic about a binary file or a megabyte-long line stays readable and safe to print:
    /// an escape sequence cannot reach the terminal, and an invisible character (a zero-width
    /// space, a right-to-left override) can neither hide nor reorder the text above the caret.
    public var rendered: String {
        guard line > 0 else { return "\(fileName): error: \(message)" }
        let (shown, caretOffset) = Self.window(of: sourceLine, around: column - 1)
        var caretPadding = ""
        for character in shown.prefix(caretOffset) {
            caretPadding.append(character == "\t" ? "\t" : " ")
        }
        return "\(fileName):\(line):\(column): error: \(message)\n\(shown)\n\(caretPadding)^"
    }

    /// The most characters of a source line that ``rendered`` shows.
    public static let displayWidth = 120

    /// The part of `line` to show and the caret's offset in it.
    private static func window(of line: String, around offset: Int) -> (String, Int) {
        let characters = Array(line)
        var start = 0
        var end = characters.count
        if characters.count > displayWidth {
            start = max(0, min(offset - displayWidth / 2, characters.count - displayWidth))
            end = min(characters.count, start + displayWidth)
        }
        var shown = start > 0 ? "…" : ""
        for character in characters[start..<end] {
            shown.append(character.unicodeScalars.contains(where: isControl) ? "\u{FFFD}" : character)
        }
        if end < characters.count { shown += "…" }
        return (shown, offset - start + (start > 0 ? 1 : 0))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" { return false }
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return true }
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}

/// What ``Scene/load(path:limits:)``, ``Scene/parse(source:fileName:limits:)`` and
/// ``Scene/expression(_:values:limits:)`` throw: one or more diagnostics, in source order.
public struct SceneError: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Every diagnostic rendered, one after the other.
    public var description: String {
        diagnostics.map(\.rendered).joined(separator: "\n")
    }
}
