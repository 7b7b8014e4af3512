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
/// Through a symbolic link the file it points to is replaced; a destination that is not a
/// regular file (`/dev/full`, `/dev/stdout`, a pipe) is written into directly.
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
        let path = followingSymbolicLink(requestedPath)
        var existing = stat()
        let exists = stat(path, &existing) == 0
        if exists && existing.st_mode & S_IFMT != S_IFREG {
            // A device, a pipe or a directory: there is no file to replace, and renaming over a
            // device would replace the node itself (as root, /dev/full would become a plain file).
            try writeInPlace(buffer, to: path, reportedAs: requestedPath)
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: requestedPath, reason: systemMessage()) }
        var failure = writeAll(buffer, to: descriptor)
        // A replaced file keeps its permissions.
        if failure == nil && exists && fchmod(descriptor, existing.st_mode & 0o7777) != 0 { failure = systemMessage() }
        if failure == nil && fsync(descriptor) != 0 { failure = systemMessage() }
        if close(descriptor) != 0 && failure == nil { failure = systemMessage() }
        if failure == nil && rename(temporary, path) != 0 { failure = systemMessage() }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: requestedPath, reason: failure)
        }
    }

    /// Writes into something that is not a regular file (`/dev/full`, `/dev/stdout`, a pipe).
    private static func writeInPlace(_ buffer: UnsafeRawBufferPointer, to path: String, reportedAs requestedPath: String) throws(FileWriteError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileWriteError(path: requestedPath, reason: systemMessage()) }
        var failure = writeAll(buffer, to: descriptor)
        if close(descriptor) != 0 && failure == nil { failure = systemMessage() }
        if let failure { throw FileWriteError(path: requestedPath, reason: failure) }
    }

    /// Writes the whole buffer (retrying short writes and interruptions); the error, if any.
    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
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

    /// The file a symbolic link points to (so that writing through the link replaces the file,
    /// not the link), or `path` itself.
    private static func followingSymbolicLink(_ path: String) -> String {
        var link = stat()
        guard lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
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
