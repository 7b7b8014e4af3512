import GradFlow

/// A training run: every step of a scene's `train` block, as numbers.
///
/// Each step records the body afresh with the inputs at their current values, sweeps back from
/// the loss, and updates every input outside the graph (stochastic gradient descent, with
/// PyTorch's momentum: `velocity = momentum · velocity + gradient`, `input −= lr · velocity`).
/// Only scalars are kept, the loss and the inputs and gradients of each step; each step's graph
/// is dropped before the next is recorded, so memory does not grow with the number of steps
/// (a step's graph is recorded again on demand, ``Scene/atTrainingStep(_:limits:)``).
public struct TrainingRun: Sendable, Equatable {
    public var steps: Int
    public var learningRate: Double
    public var momentum: Double
    /// The name of the node `minimize` names.
    public var lossName: String
    /// The inputs the run updates, in declaration order.
    public var inputNames: [String]
    /// `losses[k − 1]` is the loss of step k, recorded with the inputs as they were before its update.
    public var losses: [Double]
    /// `inputValues[k − 1]` are the inputs at the start of step k; the last row (index
    /// ``steps``) holds them after the last update.
    public var inputValues: [[Double]]
    /// `gradients[k − 1]` are ∂loss/∂input at step k, the numbers that step's update used.
    public var gradients: [[Double]]

    /// The inputs after the last update.
    public var finalInputs: [Double] { inputValues[steps] }

    /// The inputs at the start of `step` (1-based; `steps + 1` for after the last update), by name.
    public func inputs(atStep step: Int) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(inputNames, inputValues[step - 1]))
    }

    /// Runs every step of the scene's `train` block.
    static func perform(_ recorder: Recorder) throws(Diagnostic) -> TrainingRun {
        var current: [String: Double] = [:]
        var run: TrainingRun?
        var velocity: [Double] = []
        var step = 1
        repeat {
            let tracer = try recorder.record(inputValues: current, step: step, stopsAfterTraining: true)
            guard let outcome = tracer.trainingOutcome else {
                preconditionFailure("a scene that trains has run its train block")
            }
            let inputs = tracer.inputs
            let values = inputs.map { tracer.graph.values[$0.node] }
            if run == nil {
                try recorder.checkTotalNodes(perStep: tracer.graph.count, steps: outcome.steps, at: outcome.start)
                run = TrainingRun(
                    steps: outcome.steps, learningRate: outcome.learningRate, momentum: outcome.momentum,
                    lossName: outcome.loss.name, inputNames: inputs.map(\.name), losses: [], inputValues: [],
                    gradients: [])
                run?.losses.reserveCapacity(outcome.steps)
                velocity = Array(repeating: 0, count: inputs.count)
            }
            let adjoints = tracer.graph.adjoints(from: outcome.loss.node)
            let gradient = inputs.map { adjoints[$0.node] }
            var updated = values
            for index in updated.indices {
                velocity[index] = outcome.momentum * velocity[index] + gradient[index]
                updated[index] -= outcome.learningRate * velocity[index]
            }
            run?.losses.append(tracer.graph.values[outcome.loss.node])
            run?.inputValues.append(values)
            run?.gradients.append(gradient)
            if step == outcome.steps { run?.inputValues.append(updated) }
            for (input, value) in zip(inputs, updated) { current[input.name] = value }
            step += 1
        } while step <= run!.steps
        return run!
    }
}

/// Traces one parsed scene, as often as a training run needs.
struct Recorder {
    let source: SourceText
    let limits: SceneLimits
    let program: Program
    let stackBytes: Int

    /// A run records its body on every step; the nodes of all steps together are bounded too,
    /// at ``totalNodesPerLimit`` times the limit on one graph's nodes, so that a long run of a
    /// large body is a diagnostic at once rather than a wait of hours.
    static let totalNodesPerLimit = 20

    func checkTotalNodes(perStep: Int, steps: Int, at offset: Int) throws(Diagnostic) {
        let total = Double(perStep) * Double(steps), bound = Double(Self.totalNodesPerLimit) * Double(limits.maxNodes)
        guard total > bound else { return }
        throw source.diagnostic(at: offset, "this training run would record \(perStep) nodes on each of \(steps) steps, beyond \(Int(bound)) in all (\(Self.totalNodesPerLimit) × the node limit; raise it with --max-nodes)")
    }

    func record(inputValues: [String: Double], step: Int?, stopsAfterTraining: Bool = false) throws(Diagnostic) -> Tracer {
        var tracer = Tracer(source: source, limits: limits, program: program)
        tracer.evaluationLimit = min(Tracer.maxEvaluationDepth, LargeStack.evaluationLimit(stackBytes: stackBytes))
        tracer.inputValues = inputValues
        tracer.trainingStepLabel = step
        tracer.stopsAfterTraining = stopsAfterTraining
        _ = try tracer.execute(program.statements)
        return tracer
    }
}

extension Program {
    /// Whether the scene has a `train` block (only the top level may hold one).
    var trains: Bool {
        statements.contains { if case .train = $0 { true } else { false } }
    }
}
