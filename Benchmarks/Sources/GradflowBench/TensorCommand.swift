import ArgumentParser
import GradFlow

extension GradflowBench {
    /// W5: the 784-128-10 MLP on a batch of 32 through the engine's tensor API, beside the same
    /// forward and backward written out by hand on `MatrixProduct.gemm`.
    struct Tensors: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tensors",
            abstract: "W5 (784-128-10 MLP, batch 32): engine record + backward vs hand-written, CPU time.")

        @Option(help: "Timed runs per variant (after one warm-up run); the median is reported.")
        var runs = 21

        func validate() throws {
            guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        }

        func run() {
            let reference = TensorMLP.handwritten()
            let nodes = TensorMLP.engine().nodes
            var report = Report(title: "W5 MLP 784-128-10, tanh, softmax cross-entropy, batch 32: loss + gradient (\(nodes) tensor nodes)", nodes: nodes)
            report.rows.append(.init(variant: "hand-written (gemm)", timing: .of(runs: runs, TensorMLP.handwritten,
                                                                                 check: { TensorMLP.check($0, against: reference, "hand-written") })))
            report.rows.append(.init(variant: "engine, Graph tensor API", timing: .of(runs: runs, TensorMLP.engine,
                                                                                      check: { TensorMLP.check($0, against: reference, "engine") })))
            report.print(baseline: "hand-written (gemm)")
            // One JSON line for Benchmarks/python/summarize.py, which sets it beside PyTorch and NumPy.
            print("{\"tool\": \"engine\", \"workload\": \"w5\", \"median_seconds\": \(report.median("engine, Graph tensor API")), "
                  + "\"handwritten_seconds\": \(report.median("hand-written (gemm)"))}")
        }
    }
}
