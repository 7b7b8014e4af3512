import GraphFile
import Reports
import SceneLanguage

extension CheckCommand {
    /// `check` of a graph file: there is no source to trace again at x ± h, so the recorded ops
    /// are evaluated again there (every op in a graph file is one gradflow has a rule for), and
    /// every recorded value and local derivative is compared with that rule at the recorded
    /// operand values. Fails (status 1) when a gradient or a recorded number disagrees.
    func checkGraphFile(_ loaded: Scene, tolerances: GradientCheck.Tolerances) throws {
        let computation = Computation(graph: loaded.graph)
        let check = GradientCheck(replaying: computation, tolerances: tolerances)
        let disagreements = RuleCheck.disagreements(in: loaded.graph)
        warnIfNotFinite(computation, source: scene.file)
        var report = check.render(format.reportFormat)
        if format == .text {
            let recorded = loaded.graph.operandStorage.count + loaded.graph.ops.filter { !$0.isLeaf }.count
            report += "graph file: central differences evaluate the recorded ops again at x ± h (branches stay as recorded)\n"
            if disagreements.isEmpty {
                report += "recorded values and local derivatives against gradflow's rules: all \(recorded) agree\n"
            } else {
                report += "recorded values and local derivatives against gradflow's rules: \(disagreements.count) of \(recorded) disagree\n"
                for disagreement in disagreements { report += "  \(disagreement.message(in: loaded.graph))\n" }
            }
        }
        writeToStandardOutput(report)
        if !check.passed || !disagreements.isEmpty { throw CommandExit.disagreement }
    }
}
