import Foundation
import Testing

/// Golden files: text a test compares its output with, kept next to the tests that own them
/// (stepper screens, DOT pictures, the bad scenes' diagnostics).
///
/// Each golden was read by eye when it was recorded. They are re-recorded only when
/// `GRADFLOW_RECORD=1` is set (then read the diff before committing it), never silently.
public enum Golden {
    /// Whether this run records goldens instead of comparing with them.
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["GRADFLOW_RECORD"] == "1" }

    /// Compares `actual` with the golden file at `url`, or records it; a difference is one issue
    /// naming the first line that differs, with the whole of `actual` to read.
    public static func check(_ actual: String, _ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let name = url.lastPathComponent
        if isRecording {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no golden \(name); record it with GRADFLOW_RECORD=1 and read it", sourceLocation: sourceLocation)
            return
        }
        guard actual != expected else { return }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = (0..<min(actualLines.count, expectedLines.count)).first { actualLines[$0] != expectedLines[$0] }
            ?? min(actualLines.count, expectedLines.count)
        Issue.record("""
            \(name) differs from line \(first + 1) (re-record with GRADFLOW_RECORD=1 if that is meant, and read the diff):
            expected: \(first < expectedLines.count ? String(expectedLines[first]) : "(end)")
            actual:   \(first < actualLines.count ? String(actualLines[first]) : "(end)")
            whole output:
            \(actual)
            """, sourceLocation: sourceLocation)
    }
}
