import Foundation

/// stdout and stderr, written with `write(2)` so that a failed write is an error gradflow
/// reports instead of a crash.
///
/// Foundation's `FileHandle.write(_: Data)` traps on any failure (`> /dev/full`, a closed
/// descriptor, a reader that went away), so nothing here uses it. A failed write to stdout ends
/// the command at once: with one `gradflow: error: …` line and status 2, or quietly with 141
/// (128 + SIGPIPE, what a shell shows for a process killed by a broken pipe) when the reader
/// has gone, as in `gradflow trace big.scene | head -1`. A failed write to stderr is dropped:
/// there is nowhere left to say anything, and the exit status still tells.
enum StandardStreams {
    /// Status after a write to a pipe whose reader has gone.
    static let brokenPipeStatus: Int32 = 128 + SIGPIPE

    /// Call before anything else. A descriptor 0, 1 or 2 that the caller closed (`>&-`) is
    /// occupied with /dev/null opened read-only, so that writes to it still fail (EBADF) and no
    /// file gradflow opens later lands on it and receives its output by mistake. Also checks,
    /// at exit, what the standard library's buffered stdout (ArgumentParser's `--help`) wrote.
    static func prepare() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0 && opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
        atexit {
            // Only the C library's stdout buffer can hold anything here; ours are written at once.
            if !bufferedOutputSucceeded() { StandardStreams.failedOutput(errno: errno) }
        }
    }

    /// Writes all of `bytes` to stdout, or ends the process as described above.
    static func writeOutput(_ bytes: UnsafeRawBufferPointer) {
        if let error = writeAll(bytes, to: STDOUT_FILENO) { failedOutput(errno: error) }
    }

    /// Writes all of `bytes` to stderr, ignoring failure.
    static func writeError(_ bytes: UnsafeRawBufferPointer) {
        _ = writeAll(bytes, to: STDERR_FILENO)
    }

    /// Ends the process after stdout failed with `errno`: quietly with 141 for a broken pipe,
    /// else with one line on stderr and status 2. `_exit`, not `exit`: the atexit check must not
    /// run again, and nothing buffered is worth writing to a stream that fails.
    static func failedOutput(errno error: Int32) -> Never {
        if error == EPIPE { _exit(brokenPipeStatus) }
        let line = Array("gradflow: error: cannot write to standard output: \(String(cString: strerror(error)))\n".utf8)
        line.withUnsafeBytes { writeError($0) }
        _exit(CommandExit.invalidInput.rawValue)
    }

    /// Writes the whole buffer, retrying short writes and interruptions; the errno of a failure.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, base + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if result == 0 { return EIO }
            written += result
        }
        return nil
    }
}
