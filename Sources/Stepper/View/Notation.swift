import GradFlow

/// How the stepper writes mathematics: numbers, adjoints (x̄1), tangents (ẋ1), partials
/// (∂v2/∂x1), with ASCII spellings (`x1_bar`, `x1_dot`, `dv2/dx1`) when the terminal is not UTF-8.
struct Notation {
    let charset: Charset
    let format: NumberFormat

    func number(_ value: Double) -> String { format.string(value) }

    /// A number as an operand in written-out arithmetic: negative ones in parentheses, so
    /// that `1 · (-1)` and `10.69 − (-0.9589)` read as they should.
    func operand(_ value: Double) -> String {
        let text = number(value)
        return text.hasPrefix("-") ? "(\(text))" : text
    }

    /// `x̄1`: a macron over the name's first character, as in the survey's tables.
    func adjoint(_ label: String) -> String { decorate(label, mark: "\u{0304}", ascii: "_bar") }

    /// `ẋ1`: a dot over the name's first character, as in the survey's tables.
    func tangent(_ label: String) -> String { decorate(label, mark: "\u{0307}", ascii: "_dot") }

    /// The derivative's name in the current mode.
    func derivative(_ label: String, mode: Differentiation) -> String {
        mode == .reverse ? adjoint(label) : tangent(label)
    }

    /// `∂v2/∂x1`.
    func partial(_ of: String, _ withRespectTo: String) -> String {
        charset == .unicode ? "∂\(of)/∂\(withRespectTo)" : "d\(of)/d\(withRespectTo)"
    }

    var times: String { charset == .unicode ? " · " : " * " }
    var arrow: String { charset == .unicode ? " → " : " -> " }

    private func decorate(_ label: String, mark: Character, ascii: String) -> String {
        guard charset == .unicode, let first = label.first else { return label + ascii }
        return String(first) + String(mark) + label.dropFirst()
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
