import ArgumentParser
import GradFlow

extension GradflowBench {
    /// Records one long W1 chain, sweeps it backwards, and reports the bytes per node.
    ///
    /// Run it as its own process: the peak resident size then belongs to this graph alone.
    struct Memory: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Peak memory per node of a W1 chain of --nodes nodes (graph plus adjoints).")

        @Option(help: "Nodes to record (rounded down to 2 + a multiple of 4).")
        var nodes = 10_000_000

        @Option(help: "graph (capacity reserved) or tape (the Swift API, arrays grown as needed).")
        var api = "graph"

        func validate() throws {
            guard nodes >= 402 else { throw ValidationError("--nodes must be at least 402") }
            guard api == "graph" || api == "tape" else { throw ValidationError("--api is graph or tape, not '\(api)'") }
        }

        func run() {
            let iterations = Chain.iterations(forNodes: nodes)
            let recorded = Chain.nodeCount(iterations: iterations)
            let baseline = peakResidentBytes()
            let start = processSeconds()
            let gradient = api == "graph" ? Chain.engineGraph(iterations: iterations) : Chain.engineTape(iterations: iterations)
            let seconds = processSeconds() - start
            Chain.check(gradient, "memory, \(api)")
            let peak = peakResidentBytes()
            print("W1 chain via the \(api) API: \(grouped(recorded)) nodes recorded and swept in \(milliseconds(seconds)) of CPU time")
            print("peak resident \(fixed(Double(peak) / 1_048_576, 1)) MiB; baseline before recording \(fixed(Double(baseline) / 1_048_576, 1)) MiB")
            print("BYTES_PER_NODE \(fixed(Double(peak - baseline) / Double(recorded), 1))")
        }
    }
}
