import GradFlow

/// Graphviz HTML-like labels for nodes, folded groups, notes and the caption.
///
/// Every number sits in a table cell whose minimum width is decided once for the whole walk
/// (the widest text the cell will ever hold, in a monospaced font whose width is known), so a
/// node has the same size at every step and the layout of one frame is the layout of every
/// frame: a slide sequence does not jump. (The cells are minimums, not `fixedsize`: Graphviz
/// misplaces the text of a fixed-size cell whose column another row makes wider.)
enum NodeLabels {
    static let textFont = "DejaVu Sans"
    static let numberFont = "DejaVu Sans Mono"
    /// Function names (`ln`, `exp`, `tanh`) are set upright in a serif face, as in mathematics:
    /// in the sans-serif face `ln` reads as "In".
    static let functionFont = "DejaVu Serif"
    static let nameSize = 14
    static let numberSize = 12
    static let keySize = 10
    /// DejaVu Sans Mono's advance width, in ems: every glyph of it is this wide.
    static let monospaceAdvance = 0.602
    static let numberCellHeight = 16.0

    /// The width in points of a number cell that must hold `characters` characters.
    static func numberCellWidth(characters: Int) -> Int {
        Int((Double(Swift.max(characters, 1)) * monospaceAdvance * Double(numberSize)).rounded(.up)) + 6
    }

    /// What one row of numbers shows: a key (`value`, `grad`, `∂/∂x1`) and a number or a dash.
    struct NumberRow {
        var key: String
        var text: String
        /// The number's colour, or nil for the node's text colour.
        var color: String?
    }

    /// Appends a node's label: its name and op on top, then one row per number.
    ///
    /// The name and the value are drawn in the node's `fontcolor` and `fontsize` (set on the
    /// node), so a faded node needs no colour inside its label and the label stays short: at
    /// 100,000 nodes every byte counts.
    ///
    /// - Parameter nameHTML: the name, already escaped with ``Escape/html(_:lineBreaks:)``.
    static func appendNode(to dot: inout String, nameHTML: String, operationHTML: String, isLeaf: Bool,
                           rows: [NumberRow], cellWidth: Int, mutedColor: String) {
        dot += #"<<table border="0" cellborder="0" cellspacing="0" cellpadding="1"><tr><td align="left"><b>"#
        dot += nameHTML
        // A leaf's "input"/"const" is a word, not a symbol: smaller and slanted, so the name stands out.
        dot += isLeaf
            ? #"</b></td><td align="right"><font point-size="\#(keySize + 1)" color="\#(mutedColor)"><i>"# + operationHTML + "</i>"
            : #"</b></td><td align="right"><font color="\#(mutedColor)">"#
                + (operationHTML.first?.isLetter == true ? #"<font face="\#(functionFont)">"# + operationHTML + "</font>" : operationHTML)
        dot += "</font></td></tr>"
        for row in rows {
            dot += "<tr>"
            appendNumberCells(row, cellWidth: cellWidth, mutedColor: mutedColor, to: &dot)
            dot += "</tr>"
        }
        dot += "</table>>"
    }

    /// A folded box's label: the call (or `layer ×50`), how many nodes it hides (`size`), then
    /// each output's numbers.
    static func foldedGroup(label: String, size: String, outputs: [(name: String, rows: [NumberRow])],
                            hiddenOutputs: Int, cellWidth: Int, textColor: String, mutedColor: String) -> String {
        var html = #"<<table border="0" cellborder="0" cellspacing="0" cellpadding="2">"#
        html += #"<tr><td align="left" colspan="2"><font point-size="\#(nameSize)" color="\#(textColor)"><b>"#
        html += Escape.html(label)
        html += #"</b></font></td><td align="right"><font point-size="\#(keySize)" color="\#(mutedColor)">"#
        html += Escape.html(size) + "</font></td></tr>"
        for output in outputs {
            for (index, row) in output.rows.enumerated() {
                // Graphviz rejects an empty <font>, so later rows get a bare empty cell.
                html += index == 0
                    ? #"<tr><td align="left"><font point-size="\#(keySize)" color="\#(textColor)">"#
                        + Escape.html(output.name) + "</font></td>"
                    : "<tr><td></td>"
                appendNumberCells(row, cellWidth: cellWidth, mutedColor: mutedColor, to: &html)
                html += "</tr>"
            }
        }
        if hiddenOutputs > 0 {
            html += #"<tr><td align="left" colspan="3"><font point-size="\#(keySize)" color="\#(mutedColor)">"#
            html += "… and \(hiddenOutputs) more outputs</font></td></tr>"
        }
        html += "</table>>"
        return html
    }

    private static func appendNumberCells(_ row: NumberRow, cellWidth: Int, mutedColor: String, to html: inout String) {
        html += #"<td align="left"><font point-size="\#(keySize)" color="\#(mutedColor)">"#
        html += Escape.html(row.key)
        html += #"</font></td><td align="right" width="\#(cellWidth)" height="\#(Int(numberCellHeight))"><font face="\#(numberFont)" point-size="\#(numberSize)""#
        if let color = row.color { html += #" color=""# + color + "\"" }
        html += ">"
        html += Escape.html(row.text)
        html += "</font></td>"
    }

    /// A note's label: italic, wrapped to lines of about `width` characters.
    static func note(_ text: String, color: String, width: Int = 30) -> String {
        let lines = wrap(text, width: width).map { Escape.html($0) }
        return #"<<font point-size="\#(keySize + 1)" color="\#(color)"><i>"# + lines.joined(separator: "<br/>") + "</i></font>>"
    }

    /// The caption: the title, a line saying what the derivatives are, and the step.
    ///
    /// The step line sits in a cell at least `stepWidth` points wide when given, so that every
    /// frame of a sequence has the same caption width and hence the same drawing size.
    static func caption(title: String?, legend: String, stepLine: String?, stepWidth: Int?,
                        textColor: String, mutedColor: String, stepColor: String) -> String {
        var html = #"<<table border="0" cellborder="0" cellspacing="0" cellpadding="2">"#
        if let title, !title.isEmpty {
            html += #"<tr><td align="left"><font point-size="16" color="\#(textColor)"><b>"#
            html += Escape.html(title, lineBreaks: true) + "</b></font></td></tr>"
        }
        html += #"<tr><td align="left"><font point-size="\#(keySize + 1)" color="\#(mutedColor)">"#
        html += Escape.html(legend) + "</font></td></tr>"
        if let stepLine {
            let fixed = stepWidth.map { #" width="\#($0)" height="18""# } ?? ""
            html += #"<tr><td align="left"\#(fixed)><font point-size="12" color="\#(stepColor)">"#
            html += Escape.html(stepLine) + "</font></td></tr>"
        }
        html += "</table>>"
        return html
    }

    /// A rough upper bound on the width in points of `text` in DejaVu Sans at `size` points:
    /// its widest glyphs are about 0.7 em, its average about 0.55.
    static func estimatedTextWidth(_ text: String, size: Int) -> Int {
        Int((Double(text.count) * 0.62 * Double(size)).rounded(.up)) + 8
    }

    /// Splits `text` into lines of at most about `width` characters at spaces between terms (and
    /// at its own newlines), never inside an equation: `= 2 + 3 = 5` stays on one line, since a
    /// line that ends `= 2` reads as a different sum. An equation longer than two lines' width is
    /// broken before its `=` signs, and past that at any space.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in terms(of: paragraph, width: width) {
                if !line.isEmpty && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = ""
                }
                line += line.isEmpty ? String(word) : " " + word
            }
            lines.append(line)
        }
        return lines
    }

    /// Operators that bind the words on either side into one term for wrapping.
    private static let binding: Set<String> = ["=", "+", "-", "−", "·", "×", "*", "/", "÷", "^", "→", "≈", "<", ">", "≤", "≥", "±"]

    /// The words of `paragraph`, with the words of each equation joined into one.
    private static func terms(of paragraph: Substring, width: Int) -> [String] {
        let words = paragraph.split(separator: " ").map(String.init)
        var groups: [[String]] = []
        for word in words {
            if let last = groups.last?.last, binding.contains(last) || binding.contains(word) {
                groups[groups.count - 1].append(word)
            } else {
                groups.append([word])
            }
        }
        return groups.flatMap { group -> [String] in
            let joined = group.joined(separator: " ")
            guard joined.count > 2 * width else { return [joined] }
            // Too long for two lines: break before each `=` (each piece an equation step).
            var pieces: [[String]] = [[]]
            for word in group {
                if word == "=" && !pieces[pieces.count - 1].isEmpty { pieces.append([]) }
                pieces[pieces.count - 1].append(word)
            }
            return pieces.flatMap { piece in
                let text = piece.joined(separator: " ")
                return text.count > 2 * width ? piece : [text]
            }
        }
    }
}
