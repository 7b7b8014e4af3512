import GradFlow

/// A training run: every step of a scene's `train` block, as numbers.
///
/// Each step records the body afresh with the inputs at their current values, sweeps back from
/// the loss, and updates every input outside the graph (stochastic gradient descent, with
/// PyTorch's momentum: `velocity = momentum · velocity + gradient`, `input −= lr · velocity`).
/// Only numbers are kept, the loss and the inputs and gradients of each step; each step's graph
/// is dropped before the next is recorded, so memory does not grow with the size of the graph
/// (a step's graph is recorded again on demand, ``Scene/atTrainingStep(_:limits:)``).
///
/// A tensor input is trained element by element, exactly as the same elements written as scalar
/// inputs would be: each of its elements is one entry of ``inputNames`` (`W[0, 1]`), and
/// ``tensorInputs`` says which entries belong to which tensor.
public struct TrainingRun: Sendable, Equatable {
    public var steps: Int
    public var learningRate: Double
    public var momentum: Double
    /// The name of the node `minimize` names.
    public var lossName: String
    /// The inputs the run updates, in declaration order; a tensor input's elements in row-major
    /// order, each named by its position (`W[0, 1]`, `b[2]`).
    public var inputNames: [String]
    /// The tensor inputs among ``inputNames``: each one's name, shape and first entry.
    public var tensorInputs: [TensorInput] = []
    /// `losses[k − 1]` is the loss of step k, recorded with the inputs as they were before its update.
    public var losses: [Double]
    /// `inputValues[k − 1]` are the inputs at the start of step k; the last row (index
    /// ``steps``) holds them after the last update.
    public var inputValues: [[Double]]
    /// `gradients[k − 1]` are ∂loss/∂input at step k, the numbers that step's update used.
    public var gradients: [[Double]]

    /// The inputs after the last update.
    public var finalInputs: [Double] { inputValues[steps] }

    /// A tensor input of the run: its elements are the entries `first ..< first + count` of
    /// ``inputNames``, ``inputValues`` and ``gradients``.
    public struct TensorInput: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var first: Int
        public var count: Int { Tensor.count(of: shape) }
    }

    /// The keys of the input overrides that set entry `index` of ``inputNames``: the name of a
    /// scalar input, `W[5]` for the element of `W` at row-major offset 5.
    var overrideKeys: [String] = []

    /// The inputs at the start of `step` (1-based; `steps + 1` for after the last update), keyed
    /// as the tracer's input overrides are (a tensor element as `W[offset]`).
    public func inputs(atStep step: Int) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(overrideKeys, inputValues[step - 1]))
    }

    /// A run keeps every step's inputs and gradients: this bounds steps × trained numbers
    /// (2 × 8 bytes each: 64 MiB), so that a large model trained for many steps is a diagnostic
    /// rather than a machine out of memory.
    public static let maxStoredNumbers = 1 << 22

    /// The trained numbers of one recorded step: the inputs' values, a tensor's elements in
    /// row-major order.
    private static func parameterValues(of tracer: Tracer) -> [Double] {
        tracer.inputs.flatMap { input in
            tracer.graph.isTensor(input.node) ? tracer.graph.tensor(of: input.node).elements : [tracer.graph.values[input.node]]
        }
    }

    /// The names and override keys of the trained numbers, and where each tensor's elements start.
    private static func parameterNames(of tracer: Tracer) -> (names: [String], keys: [String], tensors: [TensorInput]) {
        var names: [String] = [], keys: [String] = [], tensors: [TensorInput] = []
        for input in tracer.inputs {
            guard tracer.graph.isTensor(input.node) else {
                names.append(input.name)
                keys.append(input.name)
                continue
            }
            let shape = tracer.graph.shape(of: input.node)
            tensors.append(TensorInput(name: input.name, shape: shape, first: names.count))
            for offset in 0..<Tensor.count(of: shape) {
                names.append(Tensor.label(input.name, offset: offset, shape: shape))
                keys.append(Tracer.elementKey(input.name, offset: offset))
            }
        }
        return (names, keys, tensors)
    }

    /// ∂loss/∂input for every trained number, in the order of ``parameters(of:)``.
    private static func gradient(of loss: NodeID, in tracer: Tracer) -> [Double] {
        let graph = tracer.graph
        guard graph.hasTensors else {
            let adjoints = graph.adjoints(from: loss)
            return tracer.inputs.map { adjoints[$0.node] }
        }
        let adjoints = graph.tensorAdjoints(from: loss)
        return tracer.inputs.flatMap { input in
            graph.isTensor(input.node) ? adjoints.adjoint(of: input.node, in: graph).elements : [adjoints.scalars[input.node]]
        }
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
            let values = Self.parameterValues(of: tracer)
            if run == nil {
                try recorder.checkTotalNodes(perStep: tracer.graph.count, steps: outcome.steps, at: outcome.start)
                try recorder.checkStoredNumbers(perStep: values.count, steps: outcome.steps, at: outcome.start)
                let parameters = Self.parameterNames(of: tracer)
                run = TrainingRun(
                    steps: outcome.steps, learningRate: outcome.learningRate, momentum: outcome.momentum,
                    lossName: outcome.loss.name, inputNames: parameters.names, tensorInputs: parameters.tensors,
                    losses: [], inputValues: [], gradients: [], overrideKeys: parameters.keys)
                run?.losses.reserveCapacity(outcome.steps)
                velocity = Array(repeating: 0, count: values.count)
            }
            let gradient = Self.gradient(of: outcome.loss.node, in: tracer)
            var updated = values
            for index in updated.indices {
                velocity[index] = outcome.momentum * velocity[index] + gradient[index]
                updated[index] -= outcome.learningRate * velocity[index]
            }
            run?.losses.append(tracer.graph.values[outcome.loss.node])
            run?.inputValues.append(values)
            run?.gradients.append(gradient)
            if step == outcome.steps { run?.inputValues.append(updated) }
            for (key, value) in zip(run!.overrideKeys, updated) { current[key] = value }
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

    func checkStoredNumbers(perStep: Int, steps: Int, at offset: Int) throws(Diagnostic) {
        guard Double(perStep) * Double(steps + 1) > Double(TrainingRun.maxStoredNumbers) else { return }
        throw source.diagnostic(at: offset, "this training run would keep \(perStep) trained numbers for each of \(steps) steps, beyond \(TrainingRun.maxStoredNumbers) in all; train for fewer steps or a smaller model")
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
