import ArgumentParser
import GradFlow
import Reports

/// `gradflow trace FILE`: the evaluation-trace tables of the AD survey.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print the evaluation traces of a scene: forward primal, forward tangent, reverse adjoint.",
        discussion: """
            The tables of Baydin et al. (2018), tables 2 and 3. The forward primal trace lists \
            every node with its expression in terms of earlier nodes and its value. The forward \
            tangent trace (with --wrt) carries each node's derivative with respect to one input \
            forward. The reverse adjoint trace shows the backward pass one contribution per row, \
            with its arithmetic and the adjoint before and after, so a node used twice is seen \
            accumulating:

              6  x̄1 += v̄2 · ∂v2/∂x1  x2      1 · 5 = 5      0  5
              8  x̄1 += v̄1 · ∂v1/∂x1  1 / x1  1 · 0.5 = 0.5  5  5.5

            A scene with tensors is traced one tensor op per row, with its shape and value (in \
            full up to 4×4, else its shape, first entries, min, max and mean), and its backward \
            pass one vector–Jacobian product per row (W̄ += z̄ · xᵀ) with the adjoint coming in, \
            what it passes back, and the receiving adjoint before and after; --wrt 'W[0, 1]' \
            carries tangents from one element (see docs/tensors.md).

            Examples:
              gradflow trace Scenes/survey.scene
              gradflow trace Scenes/survey.scene --wrt x1 --format markdown
              gradflow trace Scenes/survey.scene --only adjoint --format latex > adjoint.tex
              gradflow trace Scenes/two-outputs.scene --output v --format csv
              gradflow trace Scenes/tensors/linear-layer.scene --wrt 'W[0, 1]'

            Numbers: 4 significant digits in text, Markdown and LaTeX (change with --precision); \
            every digit in CSV and JSON.
            """)

    @OptionGroup var scene: SceneOptions

    @Option(help: ArgumentHelp("Also print the forward tangent trace with respect to this input, or to one element of a tensor input (W[0, 1]).", valueName: "input"))
    var wrt: String?

    @Option(help: ArgumentHelp("Trace the backward pass of this output only (default: every output).", valueName: "name"))
    var output: String?

    @Option(help: ArgumentHelp("Print one table only.", valueName: "table"))
    var only: TraceSection?

    @Option(help: "How to write the tables.")
    var format: TraceFormat = .text

    @OptionGroup var precision: PrecisionOption

    func validate() throws {
        if only == .tangent && wrt == nil {
            throw ValidationError("--only tangent needs --wrt INPUT: the input to carry tangents from")
        }
    }

    func run() throws {
        let loaded = try scene.load()
        let computation = Computation(graph: loaded.graph)
        var outputs: [NamedNode]?
        if let name = output {
            outputs = [try scene.find(name, among: computation.outputs, option: "--output", kind: "output")]
        }
        var tangentInput: NamedNode?
        var element = 0
        if let text = wrt {
            do {
                let reference = try ElementReference(text)
                tangentInput = try scene.find(reference.name, among: computation.inputs, option: "--wrt", kind: "input")
                element = try reference.offset(in: loaded.graph.shape(of: tangentInput!.node))
            } catch let error as WalkError {
                throw invalidInput(error.message)
            }
        }
        let trace = EvaluationTrace(computation, outputs: outputs, tangentInput: tangentInput, tangentElement: element)
        let sections = only.map { [$0.section] } ?? Set(EvaluationTrace.Section.allCases)
        warnIfNotFinite(computation, source: scene.file)
        var output = StandardOutput()
        trace.render(format.reportFormat, sections: sections, precision: precision.precision, to: &output)
        output.flush()
    }
}

/// `--format` of `trace`: every report format.
enum TraceFormat: String, CaseIterable, ExpressibleByArgument {
    case text, markdown, latex, csv, json

    var reportFormat: ReportFormat { ReportFormat(rawValue: rawValue)! }
}

/// `--only` of `trace`: one table.
enum TraceSection: String, CaseIterable, ExpressibleByArgument {
    case primal, tangent, adjoint

    var section: EvaluationTrace.Section { EvaluationTrace.Section(rawValue: rawValue)! }
}
