import GradFlow
import SceneLanguage
import Stepper

/// W5 in the stepper: `gradflow step` on the 784-128-10 MLP (batch 32) up to its first frame,
/// into the in-memory cell grid at 120 × 40: tracing the scene, opening (the timeline's tensor
/// sweep and the model) and the first frame (layout and tensor boxes written as summaries).
/// Then the backward step into W1 (a 784×128 adjoint) and that step opened into its elements.
/// The target is issue 11's: the first frame within 300 ms.
enum TensorStepperWorkload {
    /// W5 as a scene, the same text as `scene()` in Benchmarks/python/tensors.py.
    static var scene: String {
        let labels = (0..<32).map { i in "[" + (0..<10).map { $0 == i % 10 ? "1" : "0" }.joined(separator: ", ") + "]" }
        return """
        title "W5: a 784-128-10 MLP, tanh, softmax cross-entropy, batch of 32"
        const X = randn(1, 32, 784)
        const Y = [\(labels.joined(separator: ", "))]
        input W1 = randn(2, 784, 128) / 28
        input b1 = zeros(128)
        input W2 = randn(3, 128, 10) / 16
        input b2 = zeros(10)
        h = tanh(X @ W1 + b1)
        logits = h @ W2 + b2
        L = -sum(Y * log_softmax(logits)) / 32
        output L
        """
    }

    static func run(runs: Int) {
        let columns = 120, rows = 40
        func trace() -> Graph {
            do { return try Scene.parse(source: scene, fileName: "w5.scene").graph } catch {
                verify(false, "W5: the scene did not trace: \(error)")
                fatalError("unreachable")
            }
        }
        let graph = trace()
        func open(_ graph: Graph, _ options: StepperOptions = StepperOptions()) -> StepperModel {
            do { return try StepperModel(graph: graph, fileName: "w5.scene", options: options, columns: columns, rows: rows) } catch {
                verify(false, "W5: the stepper did not open: \(error)")
                fatalError("unreachable")
            }
        }
        let tracing = Timing.of(runs: runs, trace, check: { verify($0.hasTensors, "W5: no tensors recorded") })
        let firstFrame = Timing.of(runs: runs, { StepperView().render(open(trace())) },
                                   check: { verify($0.grid.text.contains("W5: a 784-128-10 MLP"), "W5: the first frame has no title") })
        // The backward step into W1 (its last), drawn, and the same step opened into its elements.
        let timeline = Timeline(graph: graph, mode: .reverse(output: graph.reportedOutputs[0].node))
        let w1 = graph.inputs[0]
        guard let last = timeline.contributions(into: w1).last else { return verify(false, "W5: W1 receives nothing") }
        var options = StepperOptions()
        options.walk.step = graph.count + 2 + last
        let atStep = open(graph, options)
        let view = StepperView()
        _ = view.render(atStep)
        let stepFrame = Timing.of(runs: runs, { view.render(atStep) },
                                  check: { verify($0.grid.text.contains("W̄1 += "), "W5: the step into W1 is not shown") })
        let opened = update(atStep, .toggleElements)
        verify(opened.elementWalk != nil, "W5: the step into W1 did not open: \(opened.message ?? "")")
        let opening = Timing.of(runs: runs, { view.render(opened) },
                                check: { verify($0.grid.text.contains("W̄1[0, 0] += "), "W5: the opened step is not shown:\n\($0.grid.text)") })
        print("W5 stepper, 784-128-10 MLP on a batch of 32, 120 × 40 cells, CPU time, medians of \(runs) runs")
        print("  trace \(padLeft(milliseconds(tracing.median), 12))   first frame (trace + open + draw) "
              + "\(padLeft(milliseconds(firstFrame.median), 12))   target 300 ms")
        print("  the step into W1 drawn \(padLeft(milliseconds(stepFrame.median), 12))"
              + "   opened into its elements \(padLeft(milliseconds(opening.median), 12))")
    }
}
