import Foundation
import GradFlow
import GraphExport

/// Graphviz's layout with a time budget, so that a graph Graphviz takes minutes over (61 nodes
/// each summing all earlier ones) is drawn at once with the plain layered layout instead.
///
/// libgvc cannot be interrupted. Each layout runs on a thread of its own; the caller waits for
/// it up to ``budget`` and, past that, gets ``LayoutDeferred`` (the graph pane then falls back to
/// ``LayeredLayout`` and says so in its title). The layout goes on in the background, one at a
/// time (asked for another meanwhile, the answer is ``LayoutDeferred`` at once); when a late one
/// finishes, ``takeLateArrival()`` says so, and the driver draws again with a fresh view, whose
/// graph pane then finds the finished layout here.
final class BudgetedLayout: @unchecked Sendable {
    /// How long a frame waits for Graphviz. The README's target for a first frame is 300 ms.
    static let budget: Duration = .milliseconds(200)

    /// A layout request: every box's size and the edges among them.
    private typealias Request = LayoutRequest

    private let compute: @Sendable (LayoutRequest) throws -> GraphLayout
    private let condition = NSCondition()
    private var running: Request?
    /// Layouts finished but not yet collected (by the call that waits, or by a later call
    /// after a late arrival); a few at most.
    private var finished: [Request: Result<GraphLayout, any Error>] = [:]
    private var abandoned: Set<Request> = []
    private var lateArrival = false

    init(compute: @escaping @Sendable (LayoutRequest) throws -> GraphLayout) {
        self.compute = compute
    }

    /// Graphviz's dot layout, as the exporter draws it.
    convenience init() {
        self.init { request in try GraphvizLayout.layout(request) }
    }

    /// The layout function a ``StepperView`` is given.
    @Sendable func layout(_ request: LayoutRequest) throws -> GraphLayout {

        condition.lock()
        defer { condition.unlock() }
        if let result = finished.removeValue(forKey: request) { return try result.get() }
        guard running == nil else { throw LayoutDeferred.busy }
        running = request
        let compute = compute
        Thread.detachNewThread { [self] in
            let result = Result { try compute(request) }
            condition.lock()
            running = nil
            if finished.count >= 8 { finished.removeAll() }
            finished[request] = result
            if abandoned.remove(request) != nil { lateArrival = true }
            condition.broadcast()
            condition.unlock()
        }
        let deadline = Date().addingTimeInterval(Double(Self.budget.components.attoseconds) / 1e18
                                                 + Double(Self.budget.components.seconds))
        while finished[request] == nil, condition.wait(until: deadline) {}
        if let result = finished.removeValue(forKey: request) { return try result.get() }
        abandoned.insert(request)
        throw LayoutDeferred.slow
    }

    /// Whether a layout given up on has finished since the last call.
    func takeLateArrival() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        defer { lateArrival = false }
        return lateArrival
    }
}

/// Why the graph pane shows the plain layout for now.
enum LayoutDeferred: Error, CustomStringConvertible {
    /// Graphviz has not finished within the budget; it goes on in the background.
    case slow
    /// Graphviz is still busy with an earlier part of the graph.
    case busy

    var description: String {
        switch self {
        case .slow: "it is taking long; still trying"
        case .busy: "it is still busy with another part"
        }
    }
}
