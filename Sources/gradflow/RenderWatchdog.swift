import Foundation
import Synchronization

/// Ends `gradflow export` when Graphviz takes longer over one picture than the user allows.
///
/// libgvc cannot be interrupted, and dot's layout can run for minutes on some shapes (an input
/// read by hundreds of nodes: every one of its edges spans the ranks). Rather than hang a
/// lecturer's terminal, the process says what happened and leaves with status 2. The limit
/// covers Graphviz's work on one picture (one frame of a walk) only: the watchdog is disarmed
/// before anything is written, so it never ends a write half done. Pictures are rendered in
/// memory and only then written atomically, so nothing partial is left behind.
enum RenderWatchdog {
    /// The monotonic time (ns) by which the current picture must be done; 0 when disarmed.
    private static let deadline = Atomic<UInt64>(0)
    private static let started = Atomic<Bool>(false)
    /// What to print when the time is up, for the picture being made now.
    private static let message = Mutex<[UInt8]>([])

    /// The longest limit accepted (a day): longer ones are as good as none, and the arithmetic
    /// in nanoseconds stays far from overflowing.
    static let maximumSeconds = 86_400

    /// Gives the next picture `seconds` (0: no limit), starting the watcher on first use.
    static func arm(seconds: Int, explanation: String) {
        guard seconds > 0 else { return }
        message.withLock { $0 = Array((explanation + "\n").utf8) }
        let limit = UInt64(min(seconds, maximumSeconds)) * 1_000_000_000
        deadline.store(DispatchTime.now().uptimeNanoseconds + limit, ordering: .relaxed)
        guard !started.exchange(true, ordering: .relaxed) else { return }
        // While Graphviz runs, the exporter points descriptor 2 at a file to capture its
        // messages; keep the terminal's standard error, taken before any rendering starts.
        let terminalError = dup(STDERR_FILENO)
        Thread.detachNewThread {
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                let due = deadline.load(ordering: .relaxed)
                if due != 0 && DispatchTime.now().uptimeNanoseconds > due {
                    message.withLock { text in text.withUnsafeBytes { _ = write(terminalError, $0.baseAddress, $0.count) } }
                    _exit(2)
                }
            }
        }
    }

    /// Stops the clock: Graphviz is done with this picture.
    static func disarm() {
        deadline.store(0, ordering: .relaxed)
    }
}
