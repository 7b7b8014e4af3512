/// Tensor values in node labels: a small tensor as a matrix of cells between brackets, a large
/// one as its shape and a summary.
extension NodeLabels {
    /// What one row of a tensor node shows: a key (`value`, `grad`) and the tensor's text.
    struct MatrixRow {
        enum Body {
            /// Entries written in full, one array per row of the last axis.
            case entries([[String]])
            /// A large tensor's summary lines (shape and first entries; min, max, mean).
            case summary([String])
            /// Nothing known yet: a dash in each of `rows` × `columns` cells (or one).
            case unknown(rows: Int, columns: Int)
        }

        var key: String
        var body: Body
        /// The numbers' colour, or nil for the node's text colour.
        var color: String?
    }

    /// Appends a tensor node's label: its name, op and shape on top, then one row per tensor.
    ///
    /// - Parameters:
    ///   - cellWidth: the width in points of every entry cell (or of the summary's lines),
    ///     decided once for the walk so that the node keeps its size at every step.
    ///   - bracketColor: the colour of the matrix brackets.
    static func appendTensorNode(to dot: inout String, nameHTML: String, operationHTML: String, shape: String,
                                 isLeaf: Bool, rows: [MatrixRow], cellWidth: Int, mutedColor: String, bracketColor: String) {
        dot += #"<<table border="0" cellborder="0" cellspacing="0" cellpadding="1"><tr><td align="left"><b>"#
        dot += nameHTML
        dot += #"</b> <font point-size="\#(keySize)" color="\#(mutedColor)">"# + Escape.html(shape) + "</font></td>"
        dot += isLeaf
            ? #"<td align="right"><font point-size="\#(keySize + 1)" color="\#(mutedColor)"><i>"# + operationHTML + "</i></font></td></tr>"
            : #"<td align="right"><font color="\#(mutedColor)">"#
                + (operationHTML.first?.isLetter == true ? #"<font face="\#(functionFont)">"# + operationHTML + "</font>" : operationHTML)
                + "</font></td></tr>"
        for row in rows {
            dot += #"<tr><td align="left" valign="middle"><font point-size="\#(keySize)" color="\#(mutedColor)">"#
            // Padding keeps the value's brackets apart from the adjoint's below them.
            dot += Escape.html(row.key) + #"</font></td><td align="right" cellpadding="3">"#
            appendMatrix(row, cellWidth: cellWidth, bracketColor: bracketColor, to: &dot)
            dot += "</td></tr>"
        }
        dot += "</table>>"
    }

    /// A matrix of entries between brackets drawn as cell borders (left and right columns with
    /// their outer side and the ends), or the lines of a summary.
    static func appendMatrix(_ row: MatrixRow, cellWidth: Int, bracketColor: String, to html: inout String) {
        let font = #"<font face="\#(numberFont)" point-size="\#(numberSize)""# + (row.color.map { #" color="\#($0)""# } ?? "") + ">"
        let grid: [[String]]
        switch row.body {
        case .summary(let lines):
            html += #"<table border="0" cellborder="0" cellspacing="0" cellpadding="0">"#
            for line in lines {
                html += #"<tr><td align="left" width="\#(cellWidth)" height="\#(Int(numberCellHeight))">"# + font
                html += Escape.html(line) + "</font></td></tr>"
            }
            html += "</table>"
            return
        case .entries(let entries):
            grid = entries
        case .unknown(let rows, let columns):
            grid = [[String]](repeating: [String](repeating: "–", count: columns), count: rows)
        }
        let rows = Swift.max(grid.count, 1)
        html += #"<table border="0" cellborder="0" cellspacing="0" cellpadding="0">"#
        for (index, entries) in grid.enumerated() {
            html += "<tr>"
            if index == 0 { html += bracket(sides: "LTB", rows: rows, color: bracketColor) }
            for entry in entries {
                html += #"<td align="right" width="\#(cellWidth)" height="\#(Int(numberCellHeight))">"# + font
                html += Escape.html(entry) + "</font></td>"
            }
            if index == 0 { html += bracket(sides: "RTB", rows: rows, color: bracketColor) }
            html += "</tr>"
        }
        html += "</table>"
    }

    /// One side of a matrix's brackets: a narrow cell as tall as the matrix with three of its
    /// borders drawn.
    private static func bracket(sides: String, rows: Int, color: String) -> String {
        #"<td rowspan="\#(rows)" width="4" border="1" sides="\#(sides)" color="\#(color)"></td>"#
    }

    /// The width in points of an entry cell that must hold `characters` characters, with room
    /// between neighbouring entries.
    static func entryCellWidth(characters: Int) -> Int {
        numberCellWidth(characters: characters) + 4
    }
}
