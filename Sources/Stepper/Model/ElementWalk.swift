import GradFlow

/// A tensor backward step opened into its scalar contributions (`e`), walked one receiving
/// element at a time: for `Y = A @ B`, the step `Ā += Ȳ · Bᵀ` opens into the dot products
/// `Ā[i, p] += Σ_j Ȳ[i, j] · B[p, j]`, one per element of `Ā`.
///
/// The walk is a view of the step, not a step of the timeline: the timeline's state is the
/// tensor step's, and the receiving box shows the elements walked so far with their new adjoint.
public struct ElementWalk: Sendable, Equatable {
    /// The backward contribution opened (0-based, into the backward pass).
    public let contribution: Int
    /// The elements of the receiving operand the step reaches, ascending (row-major offsets).
    public let elements: [Int]
    /// Which of them is shown.
    public internal(set) var position: Int

    /// The receiving element shown (a row-major offset into the receiving operand).
    public var element: Int { elements[position] }
}

extension StepperModel {
    /// The backward contribution of the current step (0-based), if it is one.
    var contributionIndex: Int? {
        guard case .contribute? = currentStep else { return nil }
        return step - graph.count - 2
    }

    /// `e`: opens the current tensor step into its elements, or closes it.
    mutating func toggleElements() {
        if elementWalk != nil {
            elementWalk = nil
            return
        }
        guard let index = contributionIndex, timeline.isTensorStep(index) else {
            message = "e opens a tensor step of the backward pass into its elements; this step is not one"
            return
        }
        let contribution = timeline.contribution(index)
        let elements = graph.receivingElements(of: contribution.from, operand: contribution.operandIndex)
        guard !elements.isEmpty else {
            message = "this step passes nothing to \(graph.label(of: contribution.to))'s elements"
            return
        }
        isPlaying = false
        inspected = nil
        elementWalk = ElementWalk(contribution: index, elements: elements, position: 0)
    }

    /// Moves the opened step by `offset` elements; past its last element the walk closes and
    /// the next step follows, before its first it closes on the tensor step. False if no walk.
    mutating func moveElement(by offset: Int) -> Bool {
        guard var walk = elementWalk else { return false }
        let position = walk.position + offset
        if position >= walk.elements.count {
            elementWalk = nil
            step = min(step + 1, timeline.count)
        } else if position < 0 {
            elementWalk = nil
        } else {
            walk.position = position
            elementWalk = walk
        }
        return true
    }
}
