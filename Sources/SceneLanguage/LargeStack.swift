import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work on a thread with a large stack.
///
/// The parser and the tracer recurse, with depth bounded by ``SceneLimits/maxNestingDepth`` and
/// ``Tracer/maxEvaluationDepth``, each also capped by what fits in the stack they run on. A debug build's frames are large (several KiB for the
/// statement and expression functions), and test runners and thread pools give threads as
/// little as 512 KiB, so tracing always runs on its own thread whose stack is sized for those
/// bounds. The memory is only reserved: pages are touched (and paid for) only as deep as the
/// recursion actually goes.
enum LargeStack {
    /// The stack sizes tried, largest first (a machine that cannot reserve one gets the next).
    static let stackSizes = [1 << 30, 256 << 20, 64 << 20]

    /// Runs `body` on a fresh thread with a large stack and waits for its result; `body` is
    /// given the stack's size in bytes. If no such thread can be made, runs it on the calling
    /// thread and gives it ``fallbackStackBytes``.
    static func run<Value: Sendable>(_ body: @escaping @Sendable (_ stackBytes: Int) -> Value) -> Value {
        let box = ResultBox<Value>()
        for size in stackSizes {
            let work: @Sendable () -> Void = { box.value = body(size) }
            if let thread = startThread(stackSize: size, work) {
                // pthread_join orders the worker's write of the result before this read.
                pthread_join(thread, nil)
                return box.value!
            }
        }
        return body(fallbackStackBytes)
    }

    /// What a thread we did not make is assumed to have: the smallest common default.
    static let fallbackStackBytes = 512 << 10

    /// The deepest syntactic nesting that fits in `stackBytes`: the parser uses about 20 KiB
    /// per level in a debug build (ten functions per parenthesis), so 64 KiB leaves a margin.
    static func nestingLimit(stackBytes: Int) -> Int { max(1, stackBytes / (64 << 10)) }

    /// The deepest tracer recursion that fits in `stackBytes`: about 28 KiB per level in a
    /// debug build when recursing through calls, so 48 KiB leaves a margin.
    static func evaluationLimit(stackBytes: Int) -> Int { max(1, stackBytes / (48 << 10)) }

    /// Starts `work` on a new thread with the given stack size; nil if the thread cannot be made.
    private static func startThread(stackSize: Int, _ work: @escaping @Sendable () -> Void) -> pthread_t? {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, stackSize) == 0 else { return nil }
        let context = Unmanaged.passRetained(Work(work)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    /// The closure a thread runs, as an object that can pass through pthread's context pointer.
    private final class Work: Sendable {
        let run: @Sendable () -> Void

        init(_ run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }

    /// The result, written once by the worker thread before it ends.
    private final class ResultBox<Value>: @unchecked Sendable {
        var value: Value?
    }
}
