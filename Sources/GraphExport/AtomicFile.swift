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
/// What happens depends on what the path names (see ``OutputTarget``):
/// - a regular file, or nothing yet: the bytes go to a temporary file in the same directory
///   (so the final rename stays on one file system and is atomic), which then replaces the
///   destination, keeping its permissions (and owner, where allowed). A file the user may not
///   write is refused, as a shell redirection would refuse it. On any failure, and on a signal
///   that ends the process, the temporary file is removed and the destination is left as it
///   was: never a partial file.
/// - a symbolic link: followed to its target (created there if the link dangles); the link stays.
/// - a regular file with other hard links: rewritten in place, so every link sees the new
///   contents (this one write is not atomic).
/// - one of this process's descriptors (`-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
///   `/proc/self/fd/N`): written to that descriptor at its position, appending where it
///   appends, as a shell redirection expects; nothing is replaced.
/// - anything else that is not a regular file (`/dev/full`, a named pipe): opened and written.
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

    private static func write(_ buffer: UnsafeRawBufferPointer, to requestedPath: String) throws(FileWriteError) {
        func failure(_ reason: String) -> FileWriteError { FileWriteError(path: requestedPath, reason: reason) }
        switch try OutputTarget.resolve(requestedPath) {
        case .descriptor(let descriptor):
            if let error = writeAll(buffer, to: descriptor) { throw failure(error) }
        case .special(let path):
            // A device or a pipe: there is no file to replace, and renaming over a device would
            // replace the node itself (as root, /dev/full would become a plain file).
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure(systemMessage()) }
            var error = writeAll(buffer, to: descriptor)
            if close(descriptor) != 0 && error == nil { error = systemMessage() }
            if let error { throw failure(error) }
        case .sharedFile(let path):
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure(systemMessage()) }
            var error = writeAll(buffer, to: descriptor)
            if error == nil && ftruncate(descriptor, off_t(buffer.count)) != 0 { error = systemMessage() }
            if error == nil && fsync(descriptor) != 0 { error = systemMessage() }
            if close(descriptor) != 0 && error == nil { error = systemMessage() }
            if let error { throw failure(error) }
        case .file(let path, let existing):
            try replace(path, existing: existing, with: buffer, reportedAs: requestedPath)
        }
    }

    /// Writes a temporary file beside `path` and renames it over `path`.
    private static func replace(_ path: String, existing: stat?, with buffer: UnsafeRawBufferPointer,
                                reportedAs requestedPath: String) throws(FileWriteError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        TemporaryFiles.register(temporary)
        defer { TemporaryFiles.unregister() }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: requestedPath, reason: systemMessage()) }
        var failure = writeAll(buffer, to: descriptor)
        if failure == nil, let existing {
            // A replaced file keeps its permissions, and its owner where we may set it (root).
            if fchmod(descriptor, existing.st_mode & 0o7777) != 0 { failure = systemMessage() }
            if existing.st_uid != geteuid() || existing.st_gid != getegid() {
                _ = fchown(descriptor, existing.st_uid, existing.st_gid)
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = systemMessage() }
        if close(descriptor) != 0 && failure == nil { failure = systemMessage() }
        if failure == nil && rename(temporary, path) != 0 { failure = systemMessage() }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: requestedPath, reason: failure)
        }
    }

    /// Writes the whole buffer (retrying short writes and interruptions); the error, if any.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        var written = 0
        while written < buffer.count {
            let result = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                return systemMessage()
            }
            written += result
        }
        return nil
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

    static func systemMessage() -> String { String(cString: strerror(errno)) }
}
