import GradFlow
import Notation

/// The traces as tables for people: text, Markdown, LaTeX.
extension EvaluationTrace {
    /// Which tables a trace prints.
    public enum Section: String, CaseIterable, Sendable {
        case primal, tangent, adjoint
    }

    /// The forward primal trace (the survey's table 2, left).
    public func primalTable(format: NumberFormat, style: Notation.Style = .unicode) -> Table {
        let graph = computation.graph
        let notation = Notation(style, format: format)
        return Table(
            title: "Forward primal trace",
            columns: [.init("node"), .init("expression"), .init("with values"), .init("value", alignment: .right)],
            rowCount: graph.count
        ) { node in
            let expression = primalExpression(of: node, notation: notation)
            return [
                .math(notation.name(graph.label(of: node))),
                graph.ops[node].isLeaf ? .text(expression) : .math(expression),
                .math(notation.substituted(node, in: graph)),
                .math(notation.number(graph.values[node])),
            ]
        }
    }

    /// The forward tangent trace with respect to ``tangentInput`` (the survey's table 2, right);
    /// nil when no input was chosen.
    public func tangentTable(format: NumberFormat, style: Notation.Style = .unicode) -> Table? {
        guard let input = tangentInput else { return nil }
        let graph = computation.graph
        let notation = Notation(style, format: format)
        return Table(
            title: "Forward tangent trace with respect to \(input.name)",
            columns: [.init("tangent"), .init("rule"), .init("with values"), .init("value", alignment: .right)],
            rowCount: graph.count,
            footnotes: computation.outputs.map { output in
                .math(notation.partial(output.name, input.name) + " = " + notation.number(tangents[output.node]))
            }
        ) { node in
            let tangentName = Table.Cell.math(notation.tangent(graph.label(of: node)))
            let value = Table.Cell.math(notation.number(tangents[node]))
            if graph.ops[node].isLeaf {
                let rule: Table.Cell = node == input.node ? .text("seed") : .math(notation.number(0))
                return [tangentName, rule, .math(""), value]
            }
            let rule = tangentRule(of: node, notation: notation)
            return [tangentName, .math(rule.symbolic), .math(rule.numeric), value]
        }
    }

    /// The reverse adjoint trace of each chosen output (the survey's table 3): the seed, then
    /// one row per contribution.
    public func adjointTables(format: NumberFormat, style: Notation.Style = .unicode) -> [Table] {
        let graph = computation.graph
        let notation = Notation(style, format: format)
        return backwardPasses.map { pass in
            let gradient = zip(computation.inputs, pass.gradient)
                .map { notation.adjoint($0.0.name) + " = " + notation.number($0.1) }
                .joined(separator: ", ")
            return Table(
                title: "Reverse adjoint trace of \(pass.output.name)",
                columns: [
                    .init("step", alignment: .right), .init("adjoint update"), .init("local derivative"),
                    .init("with values"), .init("before", alignment: .right), .init("after", alignment: .right),
                ],
                rowCount: 1 + pass.timeline.contributionCount,
                footnotes: gradient.isEmpty ? [] : [.math(gradient)]
            ) { index in
                guard index > 0 else {
                    return [.math("0"), .math(notation.adjoint(graph.label(of: pass.output.node)) + " = 1"), .text("seed"),
                            .math(""), .math(""), .math("1")]
                }
                let contribution = pass.timeline.contribution(index - 1)
                return [
                    .math(String(index)),
                    .math(notation.update(to: graph.label(of: contribution.to), from: graph.label(of: contribution.from))),
                    .math(notation.localDerivative(of: contribution.from, operandIndex: contribution.operandIndex, in: graph)),
                    .math(notation.arithmetic(contribution)),
                    .math(notation.number(contribution.adjointBefore)), .math(notation.number(contribution.adjointAfter)),
                ]
            }
        }
    }

    /// The tables of `sections`, in the order primal, tangent, adjoint, with mathematics in `style`.
    ///
    /// - Parameter multiline: a scene with tensors: write each matrix one row per line (for
    ///   aligned text), else on one line.
    public func tables(_ sections: Set<Section>, format: NumberFormat, style: Notation.Style = .unicode,
                       multiline: Bool = false) -> [Table] {
        if hasTensors { return tensorTables(sections, format: format, style: style, multiline: multiline) }
        var tables: [Table] = []
        if sections.contains(.primal) { tables.append(primalTable(format: format, style: style)) }
        if sections.contains(.tangent), let table = tangentTable(format: format, style: style) { tables.append(table) }
        if sections.contains(.adjoint) { tables += adjointTables(format: format, style: style) }
        return tables
    }

    /// Writes the whole trace in `reportFormat` to `output`, row by row.
    ///
    /// - Parameters:
    ///   - sections: which tables (default all; the tangent table needs ``tangentInput``).
    ///   - precision: significant digits for numbers, or nil for the format's default
    ///     (see ``ReportFormat/defaultNumberFormat``).
    /// - Complexity: O(nodes + contributions) time; memory for one row at a time.
    public func render<Output: TextOutputStream>(
        _ reportFormat: ReportFormat, sections: Set<Section> = Set(Section.allCases), precision: Int? = nil,
        to output: inout Output
    ) {
        let format = reportFormat.numberFormat(precision: precision)
        switch reportFormat {
        case .json:
            writeJSON(sections, format: format, to: &output)
            output.write("\n")
        case .csv:
            for (index, table) in csvTables(sections, format: format).enumerated() {
                if index > 0 { output.write("\n") }
                table.render(to: &output)
            }
        case .text, .markdown, .latex:
            if let title = computation.title {
                switch reportFormat {
                // Escaped like the tables, on one line: a title must not open an HTML tag.
                case .markdown: output.write("### \(Table.markdownEscaped(title.replacingAll("\n", with: " ")))\n\n")
                case .latex: output.write("% \(title.replacingAll("\n", with: " "))\n\n")
                default: output.write(title + "\n\n")
                }
            }
            if reportFormat == .latex && hasTensors {
                output.write("% Matrices are amsmath's bmatrix: \\usepackage{amsmath} in the preamble.\n\n")
            }
            let style: Notation.Style = reportFormat == .latex ? .latex : .unicode
            for (index, table) in tables(sections, format: format, style: style, multiline: reportFormat == .text).enumerated() {
                if index > 0 { output.write("\n") }
                switch reportFormat {
                case .markdown: table.renderMarkdown(to: &output)
                case .latex: table.renderLaTeX(to: &output)
                default: table.renderText(to: &output)
                }
            }
        }
    }

    /// The whole trace in `reportFormat` as one string (see ``render(_:sections:precision:to:)``).
    public func render(_ reportFormat: ReportFormat, sections: Set<Section> = Set(Section.allCases), precision: Int? = nil) -> String {
        var text = ""
        render(reportFormat, sections: sections, precision: precision, to: &text)
        return text
    }
}
