/// One `+=` of the backward pass: an operand's adjoint receives `incoming · ∂from/∂to`.
///
/// In the survey example, `x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5` is the contribution from `v2` to `x1`,
/// and `x1`'s adjoint goes from 0 to 5; the next one, from `v1`, takes it from 5 to 5.5.
public struct Contribution: Sendable, Equatable {
    /// The node whose adjoint is passed back (the consumer).
    public let from: NodeID
    /// The operand that receives it.
    public let to: NodeID
    /// Which operand slot of `from` (0 for the first operand).
    public let operandIndex: Int
    /// ∂from/∂to, recorded in the forward pass.
    public let localDerivative: Double
    /// `from`'s adjoint, complete by the time it is passed on.
    public let incomingAdjoint: Double
    /// `to`'s adjoint before and after this contribution.
    public let adjointBefore: Double
    public let adjointAfter: Double

    /// `incomingAdjoint · localDerivative`.
    public var contribution: Double { incomingAdjoint * localDerivative }
}

/// One node of the forward pass with its tangent, for forward-mode timelines.
public struct Evaluation: Sendable, Equatable {
    public let node: NodeID
    public let value: Double
    /// ∂node/∂input for the timeline's input, when the timeline is in forward mode.
    public let tangent: Double?
}
