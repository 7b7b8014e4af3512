import GradFlow

/// Tensor values as every view writes them: small tensors in full, larger ones as their shape
/// and a summary. The vector–Jacobian rules of tensor backward steps are in
/// `TensorNotation+Rules.swift`.
///
/// | tensor | Unicode | ASCII | LaTeX |
/// | --- | --- | --- | --- |
/// | `[1, 2, 3]` | `[1, 2, 3]` | the same | `\begin{bmatrix}1 & 2 & 3\end{bmatrix}` |
/// | 2×2 | `[[1, 2], [3, 4]]`, or rows `[1, 2]` / `[3, 4]` | the same | `\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}` |
/// | 8×2 | `[8, 2]: 0.5, 1, 1, -0.5, …; min -2, max 3, mean 0.45` | `...` for `…` | `[8, 2]\colon 0.5, 1, 1, -0.5, \ldots;\ \min -2,\ \max 3,\ \mathrm{mean}\ 0.45` |
///
/// Numbers are written in the notation's ``NumberFormat``; a vector reads as a row, as NumPy prints it.
extension Notation {
    /// The largest tensors written in full: at most 16 elements, and no axis of a matrix (or
    /// higher rank) longer than 4, so a 4×4 matrix is whole and a vector has up to 16 entries.
    public static let fullTensorElements = 16
    public static let fullTensorSide = 4
    /// How many leading entries (row-major) a summary shows.
    public static let summaryEntries = 4

    /// Whether `value` is written in full (else as its shape and a summary).
    public static func writesInFull(_ value: Tensor) -> Bool {
        value.count <= fullTensorElements && (value.rank <= 1 || value.shape.allSatisfy { $0 <= fullTensorSide })
    }

    /// A tensor on one line: `[1, 2, 3]`, `[[0.1, -0.2], [0.4, 0.3]]`, a bare number at rank 0,
    /// or the summary of a large tensor; LaTeX as a `bmatrix`.
    public func tensor(_ value: Tensor) -> String {
        guard Notation.writesInFull(value) else { return summary(of: value) }
        if value.rank == 0 { return number(value.elements[0]) }
        if style == .latex { return bmatrix(value) }
        return value.nested(number)
    }

    /// A tensor as lines for a box or a table cell: one line per matrix row, the entries of each
    /// column right-aligned (`[0.1, -0.2]` over `[0.4,  0.3]`); a vector or number is one line; a
    /// large tensor is two, its shape with its first entries and then its min, max and mean.
    /// In LaTeX one line, the `bmatrix`.
    public func tensorRows(_ value: Tensor) -> [String] {
        guard Notation.writesInFull(value) else {
            let parts = summaryParts(of: value)
            return [parts.entries, parts.statistics]
        }
        if value.rank < 2 || style == .latex { return [tensor(value)] }
        let grid = entries(of: value)
        let columns = value.shape[value.rank - 1]
        let widths = (0..<columns).map { column in grid.map { $0[column].count }.max() ?? 0 }
        let padded = grid.map { row in
            row.enumerated().map { String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }
        }
        // Brackets as NumPy nests them: `[[a, b],` … ` [c, d]]`, here with the entries aligned.
        var index = 0
        let aligned = Tensor(shape: value.shape, elements: value.elements.indices.map(Double.init))
        return aligned.rows { _ in
            defer { index += 1 }
            return padded[index / columns][index % columns]
        }
    }

    /// The entries of a tensor written in full, one array per row of its last axis (a vector is
    /// one row, a number one entry): for tables whose cells hold numbers. Nil for a tensor
    /// written as a summary.
    public func tensorEntries(_ value: Tensor) -> [[String]]? {
        guard Notation.writesInFull(value) else { return nil }
        return entries(of: value)
    }

    /// The summary of a tensor, whatever its size: `[8, 2]: 0.5, 1, 1, -0.5, …; min -2, max 3,
    /// mean 0.4531`. Min and max leave NaN entries out; the mean is NaN if any entry is.
    public func summary(of value: Tensor) -> String {
        let parts = summaryParts(of: value)
        return parts.entries + symbol("; ", "; ", ";\\ ") + parts.statistics
    }

    // MARK: Pieces

    private func entries(of value: Tensor) -> [[String]] {
        let width = value.rank == 0 ? 1 : Swift.max(value.shape[value.rank - 1], 1)
        let written = value.elements.map(number)
        return stride(from: 0, to: written.count, by: width).map { Array(written[$0..<Swift.min($0 + width, written.count)]) }
    }

    private func bmatrix(_ value: Tensor) -> String {
        // A matrix of matrices for ranks 3 and 4: the outer axes as rows of blocks.
        func write(_ shape: ArraySlice<Int>, _ elements: ArraySlice<Double>) -> String {
            if shape.count <= 2 {
                let width = shape.last ?? 1
                let rows = stride(from: elements.startIndex, to: elements.endIndex, by: Swift.max(width, 1)).map { start in
                    elements[start..<Swift.min(start + width, elements.endIndex)].map(number).joined(separator: " & ")
                }
                return "\\begin{bmatrix}" + rows.joined(separator: " \\\\ ") + "\\end{bmatrix}"
            }
            let block = elements.count / Swift.max(shape.first ?? 1, 1)
            let blocks = stride(from: elements.startIndex, to: elements.endIndex, by: Swift.max(block, 1)).map { start in
                write(shape.dropFirst(), elements[start..<start + block])
            }
            return "\\begin{bmatrix}" + blocks.joined(separator: " \\\\ ") + "\\end{bmatrix}"
        }
        return write(value.shape[...], value.elements[...])
    }

    private func summaryParts(of value: Tensor) -> (entries: String, statistics: String) {
        let shown = value.elements.prefix(Notation.summaryEntries).map(number)
        let more = value.count > shown.count ? [symbol("…", "...", "\\ldots")] : []
        let shape = Tensor.describe(value.shape) + symbol(": ", ": ", "\\colon ")
        let numbers = value.elements.filter { !$0.isNaN }
        let total = value.elements.reduce(0, +)
        let mean = value.count == 0 ? Double.nan : total / Double(value.count)
        let statistics = [
            (symbol("min ", "min ", "\\min "), numbers.min() ?? .nan),
            (symbol("max ", "max ", "\\max "), numbers.max() ?? .nan),
            (symbol("mean ", "mean ", "\\mathrm{mean}\\ "), mean),
        ].map { $0.0 + number($0.1) }
        return (shape + (shown + more).joined(separator: ", "), statistics.joined(separator: symbol(", ", ", ", ",\\ ")))
    }
}
