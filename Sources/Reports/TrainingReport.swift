import Foundation
import GradFlow
import SceneLanguage

/// A training run as text, CSV or JSON: the loss of every step, and the inputs before and after.
public struct TrainingReport: Sendable {
    public let run: TrainingRun
    public let title: String?

    public init(_ run: TrainingRun, title: String?) {
        self.run = run
        self.title = title
    }

    /// The steps a text table shows: every step up to `every == 1`, else step 1, every
    /// `every`-th step and the last.
    public func shownSteps(every: Int) -> [Int] {
        var steps = Array(stride(from: every, through: run.steps, by: every))
        if steps.first != 1 { steps.insert(1, at: 0) }
        if steps.last != run.steps { steps.append(run.steps) }
        return steps
    }

    /// A stride that shows about twenty rows.
    public var defaultEvery: Int {
        run.steps <= 30 ? 1 : Swift.max(1, Int((Double(run.steps) / 20).rounded(.up)))
    }

    /// One line saying what was trained and how.
    public var summary: String {
        var text = "\(run.steps) step\(run.steps == 1 ? "" : "s") of gradient descent on `\(run.lossName)`, lr \(NumberFormat.shortest.string(run.learningRate))"
        if run.momentum != 0 { text += ", momentum \(NumberFormat.shortest.string(run.momentum))" }
        return text + "; loss \(NumberFormat.significant(4).string(run.losses[0])) → \(NumberFormat.significant(4).string(run.losses[run.steps - 1]))"
    }

    /// The loss table (the rows of `steps`) and the inputs' table, as aligned text.
    public func text(every: Int, format: NumberFormat) -> String {
        let run = self.run
        let steps = shownSteps(every: every)
        let note: [Table.Cell] = every == 1 ? [] : [.text("every \(every) steps shown; --every 1 shows all \(run.steps)")]
        let losses = Table(
            title: "Loss per step (each recorded with the inputs as they were before its update)",
            columns: [Table.Column("step", alignment: .right), Table.Column(run.lossName, alignment: .right)],
            rows: steps.map { [.text(String($0)), .text(format.string(run.losses[$0 - 1]))] },
            footnotes: note)
        let inputs = Table(
            title: "Inputs",
            columns: [Table.Column("input"), Table.Column("at step 1", alignment: .right),
                      Table.Column("after step \(run.steps)", alignment: .right),
                      Table.Column("last gradient", alignment: .right)],
            rows: shownInputs.map { index in
                [.text(run.inputNames[index]), .text(format.string(run.inputValues[0][index])),
                 .text(format.string(run.finalInputs[index])), .text(format.string(run.gradients[run.steps - 1][index]))]
            },
            footnotes: run.tensorInputs.filter { $0.count > Self.shownElements }.map { tensor in
                .text("\(tensor.name): the first \(Self.shownElements) of its \(tensor.count) elements shown; --format csv or json has them all")
            })
        var text = ""
        if let title { text += title + "\n" }
        text += summary + "\n\n"
        losses.renderText(to: &text)
        text += "\n"
        inputs.renderText(to: &text)
        return text
    }

    /// A tensor input of more elements than this shows only its first ones in the text table.
    public static let shownElements = 12

    /// The entries of ``TrainingRun/inputNames`` the text table shows: every scalar input, and the
    /// first ``shownElements`` elements of each tensor input.
    var shownInputs: [Int] {
        var hidden = IndexSet()
        for tensor in run.tensorInputs where tensor.count > Self.shownElements {
            hidden.insert(integersIn: (tensor.first + Self.shownElements)..<(tensor.first + tensor.count))
        }
        return run.inputNames.indices.filter { !hidden.contains($0) }
    }

    /// Every step as CSV: the step, its loss, and the inputs at its start.
    public func csv() -> String {
        let run = self.run
        let table = CSVTable(header: ["step", run.lossName] + run.inputNames, rowCount: run.steps) { index in
            [String(index + 1), NumberFormat.shortest.string(run.losses[index])]
                + run.inputValues[index].map { NumberFormat.shortest.string($0) }
        }
        return table.render()
    }

    /// The whole run as one JSON document.
    public func json() -> String {
        let run = self.run
        // A scalar input is a number, a tensor input nested arrays in row-major order (as `grad` writes them).
        func inputs(_ values: [Double]) -> JSONValue {
            var members: [(String, JSONValue)] = []
            var index = 0
            for tensor in run.tensorInputs {
                while index < tensor.first {
                    members.append((run.inputNames[index], .number(values[index])))
                    index += 1
                }
                members.append((tensor.name, GradientReport.json(Tensor(shape: tensor.shape, elements: Array(values[index..<(index + tensor.count)])))))
                index += tensor.count
            }
            for rest in index..<values.count { members.append((run.inputNames[rest], .number(values[rest]))) }
            return .object(members)
        }
        let document = JSONValue.object([
            ("steps", .integer(run.steps)),
            ("learningRate", .number(run.learningRate)),
            ("momentum", .number(run.momentum)),
            ("loss", .string(run.lossName)),
            ("losses", .array(run.losses.map { .number($0) })),
            ("initialInputs", inputs(run.inputValues[0])),
            ("finalInputs", inputs(run.finalInputs)),
            ("lastGradient", inputs(run.gradients[run.steps - 1])),
        ])
        return document.serialized() + "\n"
    }
}
