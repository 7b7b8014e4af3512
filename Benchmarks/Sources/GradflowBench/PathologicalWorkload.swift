import GradFlow
import SceneLanguage
import Stepper

/// W4, pathological scenes: the stepper's first frame and steps where the graph fights the
/// layout — 61 nodes each summing all earlier ones (1,830 edges; Graphviz takes minutes, so the
/// plain layered layout is what the stepper draws), and stepping into `f = sum(v0 … v29999)`.
enum PathologicalWorkload {
    static let columns = 120, rows = 40

    /// 61 nodes, each the sum of all earlier ones.
    static var denseScene: String {
        (["input x = 1", "v0 = x * 2"]
            + (1...60).map { index in "v\(index) = sum(\((0..<index).map { "v\($0)" }.joined(separator: ", ")))" }
            + ["output v60"]).joined(separator: "\n")
    }

    /// `f = sum(v0 … v(terms-1))`, each `v` read from the one input.
    static func wideSumScene(terms: Int) -> String {
        (["input x = 1"] + (0..<terms).map { "v\($0) = x * \($0 % 7 + 1)" }
            + ["f = sum(\((0..<terms).map { "v\($0)" }.joined(separator: ", ")))", "output f"]).joined(separator: "\n")
    }

    static func run(runs: Int) {
        func model(_ source: String, _ options: StepperOptions) -> StepperModel {
            do {
                let scene = try Scene.parse(source: source, fileName: "bench.scene")
                return try StepperModel(graph: scene.graph, fileName: "bench.scene", options: options,
                                        columns: columns, rows: rows)
            } catch {
                verify(false, "W4 pathological: \(error)")
                fatalError("unreachable")
            }
        }
        // The dense scene as the stepper draws it while Graphviz is over its budget.
        let dense = model(denseScene, StepperOptions())
        let denseFirst = Timing.of(runs: runs, { StepperView.withLayeredLayout().render(dense) },
                                   check: { verify($0.grid.text.contains("of "), "W4: no step counter") })
        let denseBackward = model(denseScene, StepperOptions(phase: .backward))
        let denseStep = Timing.of(runs: runs, { () -> StepperModel in
            let view = StepperView.withLayeredLayout()
            var current = denseBackward
            _ = view.render(current)
            for _ in 0..<10 { current = update(current, .next); _ = view.render(current) }
            return current
        }, check: { verify($0.step == denseBackward.step + 10, "W4: dense steps") })
        // The baseline: 2026-11-27, when every candidate style of the pane was laid out (on a
        // quiet machine); now only styles that can fit, or one compact style when none can.
        print("  61 nodes, each the sum of all earlier (layered layout): first frame "
              + padLeft(milliseconds(denseFirst.median), 12) + " (target ≤ 300 ms; 322 ms before styles that cannot fit were skipped)"
              + "   first frame + 10 backward steps " + padLeft(milliseconds(denseStep.median), 12))

        let terms = 30_000
        let wide = model(wideSumScene(terms: terms), StepperOptions(step: terms + 1, phase: .forward))
        // The step alone: a fresh view draws the step before, then the step into `f` is timed.
        var stepSeconds: [Double] = []
        let wideFirst = Timing.of(runs: runs, { () -> StepperModel in
            let view = StepperView.withLayeredLayout()
            _ = view.render(wide)
            let start = processSeconds()
            let next = update(wide, .next)
            _ = view.render(next)
            stepSeconds.append(processSeconds() - start)
            return next
        }, check: { verify($0.step == wide.step + 1, "W4: the wide sum did not step") })
        let wideStep = Timing(seconds: Array(stepSeconds.dropFirst()))
        // The baseline: 2026-11-28 (load 7), when the untangler spent 150,000 units on each of
        // the window's two styles, re-routing edges into `f` past its ports only to put them back.
        print("  f = sum(v0 … v29999) (layered layout): first frame + step into f "
              + padLeft(milliseconds(wideFirst.median), 12) + "   the step into f " + padLeft(milliseconds(wideStep.median), 12)
              + " (target ≤ 16 ms; 54 ms before edges into f were torn up only where they could be placed)")
    }
}
