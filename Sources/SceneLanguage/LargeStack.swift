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
/// ``Tracer/maxEvaluationDepth``. A debug build's frames are large (several KiB for the
/// statement and expression functions), and test runners and thread pools give threads as
/// little as 512 KiB, so tracing always runs on its own thread whose stack is sized for those
/// bounds. The memory is only reserved: pages are touched (and paid for) only as deep as the
/// recursion actually goes.
enum LargeStack {
    /// The stack sizes tried, largest first (a machine that cannot reserve one gets the next).
    static let stackSizes = [1 << 30, 256 << 20, 64 << 20]

    /// Runs `body` on a fresh thread with a large stack and waits for its result. If no such
    /// thread can be made, runs it on the calling thread.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) -> Value {
        let box = ResultBox<Value>()
        let work: @Sendable () -> Void = { box.value = body() }
        for size in stackSizes {
            if let thread = startThread(stackSize: size, work) {
                // pthread_join orders the worker's write of the result before this read.
                pthread_join(thread, nil)
                return box.value!
            }
        }
        return body()
    }

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
