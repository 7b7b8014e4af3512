import ArgumentParser

extension GradflowBench {
    /// W4: the stepper's first frame and per-step redraw, into the in-memory screen.
    struct StepperFrames: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stepper",
            abstract: "W4: open, first frame and one step of the stepper on 10k- and 100k-node W1 scenes; W5's first frame.")

        @Option(help: "Timed runs per figure (after one warm-up run); the median is reported.")
        var runs = 5

        @Option(help: "Steps per timed run of the step figures.")
        var steps = 100

        @Flag(help: "Only the pathological scenes (dense sums, a 30,000-term sum).")
        var pathologicalOnly = false

        @Flag(help: "Only W5's MLP in the stepper (its first frame).")
        var tensorsOnly = false

        func validate() throws {
            guard runs >= 1, steps >= 1 else { throw ValidationError("--runs and --steps must be at least 1") }
        }

        func run() {
            print("W4 stepper, 120 × 40 cells, CPU time, medians of \(runs) runs (a step: update + render, mean of \(steps))")
            if tensorsOnly { return TensorStepperWorkload.run(runs: runs) }
            if !pathologicalOnly {
                for iterations in [2_500, 25_000] {
                    StepperWorkload.run(iterations: iterations, runs: runs, steps: steps)
                }
            }
            PathologicalWorkload.run(runs: runs)
            if !pathologicalOnly { TensorStepperWorkload.run(runs: runs) }
        }
    }
}
