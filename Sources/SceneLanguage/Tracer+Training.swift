import GradFlow

/// What the tracer learns from a scene's `train` block when it runs it once.
struct TrainingBlockOutcome {
    var steps: Int
    var learningRate: Double
    var momentum: Double
    /// The node `minimize` named, in this recording, and the name it was written as.
    var loss: NamedNode
    /// Where the `train` block starts, for diagnostics about the run as a whole.
    var start: Int
}

/// `train N steps, lr R { …; minimize loss }`: the tracer records the body once, as the step
/// ``trainingStepLabel`` says; the loop over steps and the updates are ``TrainingRun``'s.
extension Tracer {
    mutating func executeTraining(_ block: TrainingBlock) throws(Diagnostic) {
        let steps = try traceTimeInteger(block.steps, "the number of training steps", countsIterations: true)
        guard steps >= 1 else {
            throw error("a training run needs at least one step (it has \(steps))", at: block.steps.range.lowerBound)
        }
        if steps > limits.maxNodes {
            throw error("\(steps) training steps is beyond the limit of \(limits.maxNodes) (raise it with --max-nodes)", at: block.steps.range.lowerBound)
        }
        let learningRate = try valueWithoutRecording(block.learningRate)
        guard learningRate.isFinite, learningRate > 0 else {
            throw error("the learning rate must be a positive number, but it is \(NumberFormat.shortest.string(learningRate))", at: block.learningRate.range.lowerBound)
        }
        var momentum = 0.0
        if let expression = block.momentum {
            momentum = try valueWithoutRecording(expression)
            guard momentum >= 0, momentum < 1 else {
                throw error("the momentum must be at least 0 and below 1, but it is \(NumberFormat.shortest.string(momentum))", at: expression.range.lowerBound)
            }
        }
        let label = "train step \(trainingStepLabel ?? steps)/\(steps)"
        minimized = nil
        _ = try inGroup(label, at: block.start) { (tracer) throws(Diagnostic) in
            try tracer.execute(block.body)
        }
        guard let loss = minimized else {
            throw error("the `train` block never reaches `minimize`; end its body with the loss, e.g. `minimize loss`", at: block.start)
        }
        graph.annotations.outputs.insert(loss, at: 0)
        trainingOutcome = TrainingBlockOutcome(steps: steps, learningRate: learningRate, momentum: momentum, loss: loss,
                                               start: block.start)
        if stopsAfterTraining { finishedEarly = true }
    }

    /// `minimize loss`: names the node the step's backward sweep starts from.
    mutating func executeMinimize(_ name: Located<String>) throws(Diagnostic) {
        if minimized != nil {
            throw error("`minimize` runs twice in one training step; a step has one loss", at: name.start)
        }
        let node = try lookupNode(name, "be minimized")
        if graph.isTensor(node) {
            throw error("`\(name.value)` is a tensor of shape \(Tensor.describe(graph.shape(of: node))), and a loss must be a scalar; "
                + "reduce it, e.g. `loss = mean(\(name.value))`, and minimize `loss`", at: name.start)
        }
        minimized = NamedNode(name: name.value, node: node)
    }
}
