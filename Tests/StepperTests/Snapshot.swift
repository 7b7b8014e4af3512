import Foundation
import Testing
import TestSupport
@testable import Stepper

/// Text snapshots of frames, kept next to the tests in `Snapshots/`.
///
/// A snapshot holds the screen's text, then its roles (one code per cell, see ``Role/code``),
/// so that a change in what stands out is caught as well as a change in the text. They are
/// written only when `GRADFLOW_RECORD_SNAPSHOTS=1` is set, and each was read by eye when recorded.
enum Snapshot {
    static let directory = repositoryRoot.appendingPathComponent("Tests/StepperTests/Snapshots")
    static var isRecording: Bool { ProcessInfo.processInfo.environment["GRADFLOW_RECORD_SNAPSHOTS"] == "1" }

    /// The text a snapshot file holds for `grid`.
    static func text(of grid: CellGrid) -> String {
        "\(grid.columns)×\(grid.rows)\n\(grid.text)\n--- roles ---\n\(grid.roleMap)\n"
    }

    /// Compares `grid` with the snapshot `name`, or records it.
    static func check(_ grid: CellGrid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = text(of: grid)
        if isRecording {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no snapshot \(name).txt; record it with GRADFLOW_RECORD_SNAPSHOTS=1 and read it", sourceLocation: sourceLocation)
            return
        }
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(actualLines.count, expectedLines.count)).first { actualLines[$0] != expectedLines[$0] }
                ?? min(actualLines.count, expectedLines.count)
            Issue.record("""
                snapshot \(name) differs from line \(first + 1):
                expected: \(first < expectedLines.count ? String(expectedLines[first]) : "(end)")
                actual:   \(first < actualLines.count ? String(actualLines[first]) : "(end)")
                whole frame:
                \(actual)
                """, sourceLocation: sourceLocation)
        }
    }
}
