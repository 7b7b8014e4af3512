import ArgumentParser
import GradFlow

/// The benchmark driver behind `make bench` (see the README's Benchmarks section).
@main
struct GradflowBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "GradflowBench",
        abstract: "Times the gradflow engine against hand-written Swift and Swift's _Differentiation.",
        discussion: """
            Build it in release mode; a debug build measures the debugger's code, not the engine's.

            Example:
              swift build -c release --product GradflowBench
              .build/release/GradflowBench suite --runs 7
              .build/release/GradflowBench memory --nodes 10000000 --api graph
              .build/release/GradflowBench stepper --runs 5
              .build/release/GradflowBench tensors --runs 21
            """,
        subcommands: [Suite.self, Memory.self, StepperFrames.self, Tensors.self],
        defaultSubcommand: Suite.self)
}

extension GradflowBench {
    /// W1 and W2, every variant in one process, ending with the `RATIO` lines.
    struct Suite: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "W1 (the chain) and W2 (the network): engine, hand-written, _Differentiation.")

        @Option(help: "Timed runs per variant (after one warm-up run); the median is reported.")
        var runs = 7

        @Option(help: "Iterations of W1's loop body (4 nodes each).")
        var iterations = 1_000_000

        @Option(help: "A file to append the engine's rows to as JSON lines (for the goals table of `make bench`).")
        var results: String?

        func validate() throws {
            guard runs >= 1, iterations >= 100 else {
                throw ValidationError("--runs must be at least 1 and --iterations at least 100")
            }
        }

        func run() {
            let nodes = Chain.nodeCount(iterations: iterations)
            print("gradflow engine benchmarks (release build), CPU time, medians of \(runs) runs after one warm-up")
            var chain = Report(title: "W1 chain, \(grouped(iterations)) iterations = \(grouped(nodes)) nodes, gradient (record + sweep)", nodes: nodes)
            let n = iterations
            chain.rows.append(.init(variant: "hand-written", timing: .of(runs: runs, { Chain.handwritten(iterations: n) }, check: { Chain.check($0, "hand-written") })))
            chain.rows.append(.init(variant: "engine, Graph API", timing: .of(runs: runs, { Chain.engineGraph(iterations: n) }, check: { Chain.check($0, "engine, Graph API") })))
            chain.rows.append(.init(variant: "engine, Tape/Variable API", timing: .of(runs: runs, { Chain.engineTape(iterations: n) }, check: { Chain.check($0, "engine, Tape/Variable API") })))
            chain.rows.append(.init(variant: "engine, Tape/Variable API, grown", timing: .of(runs: runs, { Chain.engineTapeGrown(iterations: n) }, check: { Chain.check($0, "engine, Tape/Variable API, grown") })))
            chain.rows.append(.init(variant: "native AD (_Differentiation)", timing: .of(runs: runs, { Chain.nativeAD(iterations: n) }, check: { Chain.check($0, "native AD") })))
            chain.rows.append(.init(variant: "floor: the same bytes, raw stores", timing: .of(runs: runs, { Chain.floor(iterations: n) }, check: { Chain.check($0, "floor") })))
            chain.print(baseline: "hand-written")

            let reference = Network.handwritten()
            var network = Report(title: "W2 network, 2-16-16-1 tanh, 100 points = \(grouped(Network.nodeCount)) nodes, loss + gradient", nodes: Network.nodeCount)
            network.rows.append(.init(variant: "hand-written", timing: .of(runs: runs, Network.handwritten, check: { Network.check($0, against: reference, "hand-written") })))
            network.rows.append(.init(variant: "engine, Graph API", timing: .of(runs: runs, Network.engineGraph, check: { Network.check($0, against: reference, "engine, Graph API") })))
            network.rows.append(.init(variant: "engine, Tape/Variable API", timing: .of(runs: runs, Network.engineTape, check: { Network.check($0, against: reference, "engine, Tape/Variable API") })))
            network.rows.append(.init(variant: "native AD (_Differentiation)", timing: .of(runs: runs, Network.nativeAD, check: { Network.check($0, against: reference, "native AD") })))
            network.print(baseline: "hand-written")
            if let results {
                chain.appendJSONLines(to: results, workload: "chain")
                network.appendJSONLines(to: results, workload: "network")
            }

            // The documented Swift API is what the ratios quote: it is what the README teaches.
            let engine = chain.median("engine, Tape/Variable API")
            print("")
            print("RATIO engine/handwritten \(fixed(engine / chain.median("hand-written"), 2))")
            print("RATIO native-ad/engine \(fixed(chain.median("native AD (_Differentiation)") / engine, 2))")
        }
    }
}
