import Foundation

/// Runs work on a thread with a large stack.
///
/// The parser and the tracer recurse, with depth bounded by ``SceneLimits/maxNestingDepth``,
/// ``SceneLimits/maxCallDepth`` and ``Tracer/maxEvaluationDepth``. Test runners and thread pools
/// give threads as little as 512 KiB, which a debug build's frames can exhaust long before those
/// limits, so tracing always runs on its own thread whose stack is sized for them. The memory is
/// only reserved: pages are touched (and paid for) only as deep as the recursion goes.
enum LargeStack {
    /// The stack reserved for tracing.
    static let stackBytes = 1 << 30

    /// Runs `body` on a fresh thread with a ``stackBytes`` stack and waits for its result.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) -> Value {
        let box = Box<Value>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = stackBytes
        thread.start()
        done.wait()
        return box.value!
    }

    /// Carries the result from the worker thread; the semaphore orders the write before the read.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
    }
}
