import Foundation

/// Reading a scene file: size limit, unreadable paths, and UTF-8 validation with a position.
enum SourceFile {
    /// The text of the file at `path`.
    static func read(path: String, limits: SceneLimits) throws(SceneError) -> String {
        // With the system's own reasons: a directory without search permission is "Permission
        // denied", not "no such file"; /proc/self/mem is an input/output error, not a
        // Foundation error number.
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw failure(path, errno == ENOENT ? "no such file" : "cannot be read: \(systemMessage())")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw failure(path, "is a directory, not a scene file") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot be read: \(systemMessage())") }
        defer { close(descriptor) }
        // Read at most one byte past the limit, so that /dev/zero or a huge file stops early.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limits.maxSourceBytes {
            let wanted = Swift.min(chunk.count, limits.maxSourceBytes + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot be read: \(systemMessage())")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        if bytes.count > limits.maxSourceBytes { throw SceneError(diagnostics: [tooLarge(path, limits: limits)]) }
        if let bad = firstInvalidUTF8(bytes) {
            throw SceneError(diagnostics: [invalidUTF8(bytes, at: bad, fileName: path)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func systemMessage() -> String { String(cString: strerror(errno)) }

    private static func failure(_ path: String, _ message: String) -> SceneError {
        SceneError(diagnostics: [Diagnostic(fileName: path, line: 0, column: 0, message: message, sourceLine: "")])
    }

    static func tooLarge(_ fileName: String, limits: SceneLimits) -> Diagnostic {
        Diagnostic(
            fileName: fileName, line: 0, column: 0,
            message: "the scene is larger than \(limits.maxSourceBytes) bytes, the limit for a scene file",
            sourceLine: "")
    }

    /// The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            for continuation in 1..<length {
                guard index + continuation < bytes.count else { return index }
                let byte = bytes[index + continuation]
                let (min, max) = continuation == 1 ? (low, high) : (0x80, 0xBF)
                guard byte >= min, byte <= max else { return index }
            }
            index += length
        }
        return nil
    }

    /// A diagnostic at the first invalid byte, with its line and column counted as in the rest
    /// of the file (the line is shown with the bad bytes replaced by `�`).
    static func invalidUTF8(_ bytes: [UInt8], at offset: Int, fileName: String) -> Diagnostic {
        let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        var lineEnd = bytes[offset...].firstIndex(of: 0x0A) ?? bytes.count
        if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let prefix = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        let hex = String(bytes[offset], radix: 16, uppercase: true)
        return Diagnostic(
            fileName: fileName, line: line, column: prefix.count + 1,
            message: "the file is not valid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex))",
            sourceLine: String(decoding: bytes[lineStart..<max(lineStart, lineEnd)], as: UTF8.self))
    }
}
