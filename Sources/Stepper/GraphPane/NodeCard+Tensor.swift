import GradFlow
import Notation

/// The box of a tensor node: its name and shape, its value and its adjoint as matrices (up to
/// 4×4 in full, one row a line, as ``Notation/tensorRows(_:)`` writes them; larger ones as the
/// shape, first entries, min, max and mean). The adjoint rows stay empty until the first
/// contribution reaches the node, then fill in step by step.
///
/// ```
/// ╭──────────────────────╮
/// │ y [2, 2]         + 2 │
/// │ = [[3, 3],           │
/// │    [3, 3]]           │
/// │ ȳ = [[2.25, 2.25],   │
/// │      [2.25, 2.25]]   │
/// ╰──────────────────────╯
/// ```
///
/// While a step is opened into its elements (`e`), the entries the current scalar contribution
/// reads and writes are marked (role ``Role/element``).
extension NodeCard {
    /// The op of a tensor node as a box's corner shows it: `@`, `+`, `× 3`, `mean`, `softmax(axis: 1)`.
    static func tensorSymbol(of node: NodeID, in graph: Graph, format: NumberFormat) -> String? {
        guard let stored = graph.tensorStorage.nodes[node] else { return nil }
        switch stored.op {
        case .leaf: return nil
        case .elementwise(let op, let parameter): return op.rule.caption?(parameter, format) ?? op.rule.symbol
        default: return stored.op.symbol
        }
    }

    /// The tensors a box may show as the node's adjoint over the walk: its final adjoint and
    /// its adjoint after (and, for the one-line form, before) each of the first few steps into it.
    private func adjointsOverTheWalk(_ state: StepState) -> [Tensor] {
        guard state.differentiation == .reverse else { return [] }
        var shown = [state.timeline.finalTensorDerivative(of: representative)]
        for index in state.timeline.contributions(into: representative, limit: 8) {
            let step = state.timeline.tensorContribution(index)
            shown += [step.adjointBefore, step.adjointAfter].compactMap { $0 }
        }
        return shown
    }

    /// The widest rows among `tensors`, and how many rows they take. A tensor written in full
    /// is measured through one made of its widest entries, which is at least as wide as any
    /// mix of them (an opened step shows some entries before and some after the step).
    private func widestRows(_ tensors: [Tensor], notation: Notation, charset: Charset) -> (width: Int, rows: Int) {
        guard let first = tensors.first else { return (0, 0) }
        var width = 0, rows = notation.tensorRows(first).count
        if Notation.writesInFull(first) {
            var widest = first.elements.map(notation.number)
            for tensor in tensors.dropFirst() where tensor.shape == first.shape {
                for (i, value) in tensor.elements.enumerated() {
                    let text = notation.number(value)
                    if text.count > widest[i].count { widest[i] = text }
                }
            }
            // Rows align their columns: each column widens by what its widest entry gains.
            let written = first.elements.map(notation.number)
            let columns = first.rank >= 2 ? max(1, first.shape[first.rank - 1]) : max(1, first.count)
            var extra = 0
            for column in 0..<columns {
                let entries = stride(from: column, to: first.count, by: columns)
                let now = entries.map { written[$0].count }.max() ?? 0
                extra += max(0, (entries.map { widest[$0].count }.max() ?? 0) - now)
            }
            width = (notation.tensorRows(first).map { self.width($0, charset) }.max() ?? 0) + extra
        } else {
            for tensor in tensors {
                let written = notation.tensorRows(tensor)
                rows = max(rows, written.count)
                width = max(width, written.map { self.width($0, charset) }.max() ?? 0)
            }
            width += 2  // an opened step's mix of entries has other statistics
        }
        return (width, rows)
    }

    /// The title inside a one-line box's brackets: an unnamed literal, whose label is itself
    /// bracketed, stands apart from them (`[ [1, 1] ]`; `[[1, 1]]` read as a 1×2 matrix).
    var bracketedTitle: String { label.hasPrefix("[") ? " " + label + " " : label }

    /// Columns and rows of a tensor box.
    func tensorSize(zoom: Zoom, state: StepState) -> (columns: Int, rows: Int) {
        let charset = state.notation.charset
        let value = state.graph.tensor(of: representative)
        let name = width(bracketedTitle + " " + Tensor.describe(value.shape), charset)
        switch zoom {
        case .name:
            return (1 + width(bracketedTitle, charset) + 1, 1)
        case .compact:
            let valueWidth = width(compactText(value, notation: state.notation), charset)
            let derivative = adjointsOverTheWalk(state).map { width(compactText($0, notation: state.notation), charset) }.max() ?? 1
            return (1 + name + 1 + valueWidth + 3 + derivative + 1, 1)
        case .detail:
            let values = widestRows([value], notation: state.notation, charset: charset)
            let adjoints = widestRows(adjointsOverTheWalk(state), notation: state.notation, charset: charset)
            let adjointName = width(state.notation.derivative(label, mode: state.differentiation), charset)
            let symbolWidth = symbol.isEmpty ? 0 : 1 + width(symbol, charset)
            let inner = max(name + symbolWidth, 2 + values.width, adjointName + 3 + adjoints.width)
            return (inner + 4, 2 + 1 + values.rows + max(values.rows, adjoints.rows))
        }
    }

    /// A tensor on one line for a compact box: in full up to four entries, else its first entry.
    private func compactText(_ tensor: Tensor, notation: Notation) -> String {
        if tensor.count <= 4 { return notation.tensor(tensor) }
        let ellipsis = notation.charset == .unicode ? "…" : "..."
        return "[" + notation.number(tensor.elements.first ?? 0) + ", " + ellipsis + "]"
    }

    /// Draws a tensor box into `rect`, clipped to `clip`.
    func drawTensor(into grid: inout CellGrid, rect: Rect, clip: Rect, zoom: Zoom, state: StepState,
                    isCurrent: Bool, isPartner: Bool) {
        let node = representative
        let evaluated = state.isEvaluated(node)
        let frameRole: Role = isCurrent ? .currentNode : isPartner ? .partnerNode : evaluated ? .text : .pending
        let nameRole: Role = frameRole == .text ? .strong : frameRole
        let value = state.graph.tensor(of: node)
        let adjoint = state.tensorDerivative(node)
        let adjointRole: Role = isCurrent ? .currentNode : state.isFresh(node) ? .freshDerivative : .derivative
        let shape = Tensor.describe(value.shape)
        switch zoom {
        case .name, .compact:
            grid.fill(rect.intersection(clip), role: frameRole)
            let inner = Rect(column: rect.column, row: rect.row, width: rect.width - 1, height: 1).intersection(clip)
            var column = grid.write("[", column: rect.column, row: rect.row, role: frameRole, clip: inner)
            column = grid.write(bracketedTitle, column: column, row: rect.row, role: nameRole, clip: inner)
            if zoom == .compact {
                column = grid.write(" " + shape, column: column, row: rect.row, role: frameRole == .text ? .pending : frameRole, clip: inner)
                if evaluated {
                    column = grid.write(" " + compactText(value, notation: state.notation), column: column, row: rect.row,
                                        role: frameRole, clip: inner)
                }
                if let adjoint {
                    column = grid.write(" │ ", column: column, row: rect.row, role: frameRole, clip: inner)
                    grid.write(compactText(adjoint, notation: state.notation), column: column, row: rect.row,
                               role: role(of: adjoint, otherwise: adjointRole), clip: inner)
                }
            }
            grid.write("]", column: rect.right - 1, row: rect.row, role: frameRole, clip: clip)
        case .detail:
            drawFrame(into: &grid, rect: rect, clip: clip, heavy: isCurrent, role: frameRole)
            let inner = Rect(column: rect.column + 2, row: rect.row + 1, width: rect.width - 4, height: rect.height - 2)
                .intersection(clip)
            let column = grid.write(label, column: rect.column + 2, row: rect.row + 1, role: nameRole, clip: inner)
            grid.write(" " + shape, column: column, row: rect.row + 1, role: frameRole == .text ? .pending : frameRole, clip: inner)
            if !symbol.isEmpty {
                grid.write(symbol, column: rect.right - 2 - width(symbol, grid.charset), row: rect.row + 1,
                           role: frameRole, clip: inner)
            }
            var row = rect.row + 2
            let valueRows = state.notation.tensorRows(value)
            if evaluated {
                let marked = state.elementFocus?.valueCells(of: node) ?? []
                drawRows(valueRows, of: value, prefix: "= ", marked: marked, into: &grid, column: rect.column + 2, row: row,
                         role: value.elements.allSatisfy(\.isFinite) ? frameRole : .warning, clip: inner)
            }
            row += valueRows.count
            if let adjoint {
                let name = state.notation.derivative(label, mode: state.differentiation)
                let marked = state.elementFocus?.adjointCells(of: node) ?? []
                drawRows(state.notation.tensorRows(adjoint), of: adjoint, prefix: name + " = ", marked: marked,
                         into: &grid, column: rect.column + 2, row: row, role: role(of: adjoint, otherwise: adjointRole),
                         clip: inner, prefixRole: frameRole)
            }
        }
    }

    /// A warning role when any entry is not finite.
    private func role(of tensor: Tensor, otherwise role: Role) -> Role {
        tensor.elements.allSatisfy(\.isFinite) ? role : .warning
    }

    /// Writes a tensor's rows, the first after `prefix` and the others under it, marking the
    /// entries at the row-major offsets `marked` (only a tensor written in full has them).
    private func drawRows(_ rows: [String], of tensor: Tensor, prefix: String, marked: Set<Int>, into grid: inout CellGrid,
                          column: Int, row: Int, role: Role, clip: Rect, prefixRole: Role? = nil) {
        let indent = width(prefix, grid.charset)
        grid.write(prefix, column: column, row: row, role: prefixRole ?? role, clip: clip)
        for (offset, text) in rows.enumerated() {
            grid.write(text, column: column + indent, row: row + offset, role: role, clip: clip)
        }
        guard !marked.isEmpty, Notation.writesInFull(tensor) else { return }
        let entries = rows.map(TensorText.entryColumns)
        for cell in marked {
            let place = TensorText.place(of: cell, shape: tensor.shape)
            guard entries.indices.contains(place.row), entries[place.row].indices.contains(place.entry) else { continue }
            let entry = entries[place.row][place.entry]
            for dx in 0..<entry.width {
                let x = column + indent + entry.start + dx
                if clip.contains(column: x, row: row + place.row) { grid.setRole(.element, column: x, row: row + place.row) }
            }
        }
    }
}
