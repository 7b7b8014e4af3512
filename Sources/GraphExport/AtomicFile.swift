import Foundation

/// A file that could not be written.
public struct FileWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write '\(path)': \(reason)" }
}

/// Writes whole files so that a reader sees either the old file or the complete new one.
///
/// The bytes go to a temporary file in the same directory (so the final rename stays on one
/// file system and is atomic), which then replaces the destination. On any failure the
/// temporary file is removed and the destination is left as it was: never a partial file.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        // withUnsafeBytes only rethrows untyped errors: carry ours out as a value.
        let failure = bytes.withUnsafeBytes { buffer in writeReturningError(buffer, to: path) }
        if let failure { throw failure }
    }

    /// Writes UTF-8 text, without copying it when the string is stored contiguously (native ones are).
    public static func write(_ text: String, to path: String) throws(FileWriteError) {
        var text = text
        let failure = text.withUTF8 { buffer in writeReturningError(UnsafeRawBufferPointer(buffer), to: path) }
        if let failure { throw failure }
    }

    private static func writeReturningError(_ buffer: UnsafeRawBufferPointer, to path: String) -> FileWriteError? {
        do throws(FileWriteError) {
            try write(buffer, to: path)
            return nil
        } catch {
            return error
        }
    }

    private static func write(_ buffer: UnsafeRawBufferPointer, to path: String) throws(FileWriteError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: systemMessage()) }
        var written = 0
        var failure: String?
        while written < buffer.count {
            let result = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                failure = systemMessage()
                break
            }
            written += result
        }
        if failure == nil && fsync(descriptor) != 0 { failure = systemMessage() }
        if close(descriptor) != 0 && failure == nil { failure = systemMessage() }
        if failure == nil && rename(temporary, path) != 0 { failure = systemMessage() }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: path, reason: failure)
        }
    }

    /// Makes sure `path` is a directory, creating it (and its parents) if needed.
    public static func makeDirectory(_ path: String) throws(FileWriteError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileWriteError(path: path, reason: "it is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: path, reason: "cannot create the directory")
        }
    }

    private static func systemMessage() -> String { String(cString: strerror(errno)) }
}
