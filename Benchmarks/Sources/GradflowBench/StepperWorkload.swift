import GradFlow
import SceneLanguage
import Stepper

/// W4, the stepper: the first frame and each redraw after one step, rendered into the in-memory
/// cell grid (120 × 40) exactly as `gradflow step` draws before ncurses copies it out.
///
/// The scene is the W1 chain, traced from its text as `gradflow step` would, at 10k and 100k
/// nodes. Three figures per size: opening (timeline + model), the first frame (Graphviz lays out
/// the window around the current node), and a step (`update(model, .next)` then a render), the
/// last both in the forward pass and in the backward pass.
enum StepperWorkload {
    static let columns = 120, rows = 40

    /// The W1 scene text for `iterations` iterations (as `Benchmarks/python/workloads.py` writes it).
    static func chainScene(iterations: Int) -> String {
        """
        input x = 0.5, w = 0.9
        v = x
        repeat \(iterations) { v = relu(v * w + x) * 0.5 }
        output v
        """
    }

    /// Times the stepper on a chain of `iterations` (4·iterations + 2 nodes) and prints the rows.
    static func run(iterations: Int, runs: Int, steps: Int) {
        let nodes = Chain.nodeCount(iterations: iterations)
        let scene: Scene
        do {
            scene = try Scene.parse(source: chainScene(iterations: iterations), fileName: "w1.scene",
                                    limits: SceneLimits(maxNodes: 2 * nodes))
        } catch {
            verify(false, "W4: the W1 scene did not trace: \(error)")
            return
        }
        verify(scene.graph.count == nodes, "W4: the scene recorded \(scene.graph.count) nodes, not \(nodes)")

        func open(_ phase: WalkChoice.Phase?) -> StepperModel {
            do {
                return try StepperModel(graph: scene.graph, fileName: "w1.scene",
                                        options: StepperOptions(phase: phase), columns: columns, rows: rows)
            } catch {
                verify(false, "W4: the stepper did not open: \(error)")
                fatalError("unreachable")
            }
        }
        let opening = Timing.of(runs: runs, { open(nil) }, check: { verify($0.graph.count == nodes, "W4: model size") })
        let firstFrame = Timing.of(runs: runs, { StepperView().render(open(nil)) },
                                   check: { verify($0.grid.text.contains("of \(nodes)"), "W4: the first frame does not show the node count") })

        // A step: the view keeps its laid-out windows between frames, as in the running stepper.
        func stepping(_ phase: WalkChoice.Phase?) -> Timing {
            let start = open(phase)
            let view = StepperView()
            _ = view.render(start)
            return Timing.of(runs: runs, { () -> StepperModel in
                var model = start
                for _ in 0..<steps {
                    model = update(model, .next)
                    _ = view.render(model)
                }
                return model
            }, check: { verify($0.step == start.step + steps, "W4: \(steps) steps did not advance \(steps)") })
        }
        let forward = stepping(nil), backward = stepping(.backward)

        print("  \(pad(grouped(nodes) + " nodes", 16)) open \(padLeft(milliseconds(opening.median), 12))"
              + "   first frame \(padLeft(milliseconds(firstFrame.median), 12))"
              + "   step (forward) \(padLeft(milliseconds(forward.median / Double(steps)), 11))"
              + "   step (backward) \(padLeft(milliseconds(backward.median / Double(steps)), 11))")
    }
}
