import Foundation

/// Draws frames on a thread of its own, so that the driver's loop keeps reading keys and
/// signals however long a frame takes (a Graphviz layout, a step with thousands of edges).
///
/// The newest request wins: models asked for while a frame is being drawn replace each other,
/// and only the last is drawn next. Only the render thread touches the ``StepperView``.
final class FrameRenderer: @unchecked Sendable {
    private let condition = NSCondition()
    private let makeView: @Sendable () -> StepperView
    private var view: StepperView?
    private var requested: StepperModel?
    private var finished: Frame?
    private var rendering = false
    private var startedAt = Date()
    private var replacingView = false

    /// Starts the render thread; `makeView` is called on it, for the first view and after
    /// ``discardLayouts()``.
    init(makeView: @escaping @Sendable () -> StepperView) {
        self.makeView = makeView
        Thread.detachNewThread { [self] in renderForever() }
    }

    /// Asks for `model` to be drawn (instead of any earlier request not yet started).
    func request(_ model: StepperModel) {
        condition.lock()
        requested = model
        condition.broadcast()
        condition.unlock()
    }

    /// Draws the next frames with a fresh view, forgetting the layouts the old one kept.
    func discardLayouts() {
        condition.lock()
        replacingView = true
        condition.unlock()
    }

    /// The newest finished frame not taken yet, waiting up to `seconds` for one while a frame
    /// is being drawn or waits to be.
    func takeFrame(waitingUpTo seconds: Double = 0) -> Frame? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while finished == nil, rendering || requested != nil, condition.wait(until: deadline) {}
        defer { finished = nil }
        return finished
    }

    /// How long the frame being drawn has taken so far; nil when idle.
    var busyFor: TimeInterval? {
        condition.lock()
        defer { condition.unlock() }
        guard rendering || requested != nil else { return nil }
        return rendering ? Date().timeIntervalSince(startedAt) : 0
    }

    private func renderForever() {
        while true {
            condition.lock()
            while requested == nil { condition.wait() }
            let model = requested!
            requested = nil
            rendering = true
            startedAt = Date()
            if replacingView { view = nil; replacingView = false }
            condition.unlock()

            let view = self.view ?? makeView()
            self.view = view
            let frame = view.render(model)

            condition.lock()
            rendering = false
            finished = frame
            condition.broadcast()
            condition.unlock()
        }
    }
}
