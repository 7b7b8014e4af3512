import GradFlow

/// The moment of a walk through the graph that a picture shows: a ``Timeline`` and one of its steps.
///
/// Every fact about the moment (is a node evaluated, what is its adjoint, which node and which
/// contribution are current) is asked of the engine's timeline, the same one the terminal stepper
/// walks, so `export --step k` shows exactly what the stepper shows at step k.
public struct DiagramState: Sendable {
    /// The walk: reverse mode from one output, or forward mode from one input.
    public let timeline: Timeline
    /// The step shown, 0...timeline.count.
    public let step: Int
    /// Whether the picture marks the current node and contribution. The default final state
    /// is a finished picture, not a step of a walk, so it marks nothing.
    public let marksCurrentStep: Bool

    /// The final state: every value and every derivative, nothing highlighted.
    public init(final timeline: Timeline) {
        self.timeline = timeline
        self.step = timeline.count
        self.marksCurrentStep = false
    }

    /// The state at step `step` of `timeline`, with its current node and edge highlighted.
    /// Steps outside 0...count are clamped.
    public init(timeline: Timeline, step: Int) {
        self.timeline = timeline
        self.step = Swift.min(Swift.max(step, 0), timeline.count)
        self.marksCurrentStep = true
    }

    /// The graph walked.
    public var graph: Graph { timeline.graph }

    /// Whether `node`'s value is known at this step.
    public func isEvaluated(_ node: NodeID) -> Bool { timeline.isEvaluated(node, at: step) }

    /// `node`'s adjoint (reverse) or tangent (forward) as it stands at this step, if it has one.
    public func derivative(of node: NodeID) -> Double? { timeline.derivative(of: node, at: step) }

    /// The node this step is about, when the current step is marked.
    public var currentNode: NodeID? { marksCurrentStep ? timeline.currentNode(at: step) : nil }

    /// In a marked backward step, the consumer passing its adjoint back.
    public var partnerNode: NodeID? { marksCurrentStep ? timeline.partnerNode(at: step) : nil }

    /// What the current step does, when it is marked and is a step at all (not step 0).
    public var currentStep: Timeline.Step? {
        guard marksCurrentStep, step >= 1 else { return nil }
        return timeline.step(step)
    }

    /// How many contributions of the backward pass have been applied by this step.
    public var appliedContributions: Int {
        guard case .reverse = timeline.mode, let seed = timeline.seedStep else { return 0 }
        return Swift.max(0, step - seed)
    }
}
