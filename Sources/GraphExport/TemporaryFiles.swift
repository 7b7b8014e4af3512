import Foundation
import Synchronization

/// Removes the temporary file of a write in progress when a signal ends the process, so that
/// Ctrl-C or SIGTERM in the middle of a 100 MB DOT file leaves nothing behind; and the private
/// directory a chart's SVG goes through while Graphviz turns it into PNG or PDF.
///
/// At most one temporary file exists at a time (exports write their files one after another,
/// and a chart's SVG is gone before its picture is written). Its path, and its directory's when
/// the directory is temporary too, are copied into memory set aside beforehand, which the
/// handler reads with async-signal-safe calls only: `unlink`, `rmdir`, then the default action,
/// raised again.
public enum TemporaryFiles {
    /// The signals after which the temporary file is removed (those whose default ends the process).
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
                                   SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF]

    /// Installs the handlers (leaving alone any signal the caller ignores, as `nohup` does).
    public static func removeOnSignals() {
        _ = pathBuffer
        _ = directoryBuffer
        _ = hasPath.load(ordering: .acquiring)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            if hasPath.load(ordering: .acquiring) {
                unlink(pathBuffer)
                if directoryBuffer[0] != 0 { rmdir(directoryBuffer) }
            }
            Glibc.signal(signal, SIG_DFL)
            raise(signal)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for signal in signals {
            var current = sigaction()
            sigaction(signal, nil, &current)
            // SIG_IGN is the handler address 1.
            if unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }
            sigaction(signal, &action, nil)
        }
    }

    /// Records the temporary file being written, and the temporary directory holding it (removed
    /// after the file) when there is one. A path longer than the buffer is not recorded.
    static func register(_ path: String, inTemporaryDirectory directory: String? = nil) {
        let bytes = Array(path.utf8), directoryBytes = Array((directory ?? "").utf8)
        guard bytes.count < capacity, directoryBytes.count < capacity else { return }
        hasPath.store(false, ordering: .releasing)
        copy(bytes, into: pathBuffer)
        copy(directoryBytes, into: directoryBuffer)
        hasPath.store(true, ordering: .releasing)
    }

    private static func copy(_ bytes: [UInt8], into buffer: UnsafeMutablePointer<CChar>) {
        for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        buffer[bytes.count] = 0
    }

    /// The write is over: its temporary file was renamed or removed.
    static func unregister() {
        hasPath.store(false, ordering: .releasing)
    }

    private static let capacity = Int(PATH_MAX) + 1
}

private nonisolated(unsafe) let pathBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
private nonisolated(unsafe) let directoryBuffer: UnsafeMutablePointer<CChar> = {
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
    buffer[0] = 0
    return buffer
}()
private let hasPath = Atomic<Bool>(false)
