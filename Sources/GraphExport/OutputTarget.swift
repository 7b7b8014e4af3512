import Foundation

/// What an output path names, decided before anything is written (see ``AtomicFile``).
enum OutputTarget: Equatable {
    /// One of this process's open descriptors: `-` (stdout), `/dev/stdout`, `/dev/fd/N`…
    case descriptor(Int32)
    /// A device, a pipe or a socket, to be opened and written.
    case special(String)
    /// A regular file with more than one hard link, to be rewritten in place.
    case sharedFile(String)
    /// A regular file to be replaced (`existing`), or created.
    case file(String, existing: stat?)

    static func == (left: OutputTarget, right: OutputTarget) -> Bool {
        switch (left, right) {
        case (.descriptor(let a), .descriptor(let b)): a == b
        case (.special(let a), .special(let b)), (.sharedFile(let a), .sharedFile(let b)): a == b
        case (.file(let a, let x), .file(let b, let y)): a == b && (x == nil) == (y == nil)
        default: false
        }
    }

    /// Follows symbolic links (at most 40, as the kernel does) to what `requested` names.
    ///
    /// - Throws: a ``FileWriteError`` for a directory, a file the user may not write, a path
    ///   that cannot be looked at (a directory without search permission: "Permission denied",
    ///   not "no such file"), or a loop of links.
    static func resolve(_ requested: String) throws(FileWriteError) -> OutputTarget {
        func failure(_ reason: String) -> FileWriteError { FileWriteError(path: requested, reason: reason) }
        if requested == "-" { return .descriptor(STDOUT_FILENO) }
        var path = requested
        for _ in 0..<40 {
            if let descriptor = descriptorNumber(named: path) { return .descriptor(descriptor) }
            var info = stat()
            guard lstat(path, &info) == 0 else {
                if errno == ENOENT { return .file(path, existing: nil) }
                throw failure(AtomicFile.systemMessage())
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                guard let target = linkTarget(path) else { throw failure(AtomicFile.systemMessage()) }
                path = target.hasPrefix("/") ? target : directory(of: path) + "/" + target
            case S_IFREG:
                // Renaming over a file ignores its permissions; a redirection would not.
                guard access(path, W_OK) == 0 else { throw failure(AtomicFile.systemMessage()) }
                return info.st_nlink > 1 ? .sharedFile(path) : .file(path, existing: info)
            case S_IFDIR:
                throw failure("it is a directory")
            default:
                return .special(path)
            }
        }
        throw failure("too many levels of symbolic links")
    }

    /// The descriptor a path names in this process: `/dev/stdin|stdout|stderr`, `/dev/fd/N`,
    /// `/proc/self/fd/N`, `/proc/thread-self/fd/N`, `/proc/<our pid>/fd/N`.
    static func descriptorNumber(named path: String) -> Int32? {
        switch path {
        case "/dev/stdin": return STDIN_FILENO
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(getpid())/fd/"] where path.hasPrefix(prefix) {
            return Int32(path.dropFirst(prefix.count))
        }
        return nil
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func directory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }
}
