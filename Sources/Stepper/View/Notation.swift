import GradFlow
import Notation

/// The stepper writes mathematics with the one ``Notation`` of every view: Unicode, or ASCII
/// (`x1_bar`, `x1_dot`, `dv2/dx1`) when the terminal is not UTF-8.
extension Notation {
    init(charset: Charset, format: NumberFormat) {
        self.init(charset == .unicode ? .unicode : .ascii, format: format)
    }

    /// The terminal's character set this notation is written for.
    var charset: Charset { style == .unicode ? .unicode : .ascii }

    /// The derivative's name in the current mode.
    func derivative(_ label: String, mode: Differentiation) -> String {
        derivative(label, reverse: mode == .reverse)
    }
}

/// A run of text with one role.
struct Span: Equatable {
    var text: String
    var role: Role

    init(_ text: String, _ role: Role = .text) {
        self.text = text
        self.role = role
    }
}

/// One line of styled text.
typealias Line = [Span]

extension CellGrid {
    /// Writes a line of spans from (`column`, `row`), clipped to `clip`; when it does not fit,
    /// the last visible column shows `…`. Returns the column after the text.
    @discardableResult
    mutating func write(_ line: Line, column: Int, row: Int, clip: Rect) -> Int {
        var position = column
        for span in line { position = write(span.text, column: position, row: row, role: span.role, clip: clip) }
        if position > clip.right, clip.width > 0 {
            let role = self[clip.right - 1, row].role
            set("…", column: clip.right - 1, row: row, role: role, clip: clip)
        }
        return position
    }
}

extension Line {
    /// The columns the line takes on a terminal with `charset`.
    func width(_ charset: Charset) -> Int {
        reduce(0) { $0 + DisplayWidth.of(charset.transliterate($1.text)) }
    }
}
