import Foundation
import Testing
import TestSupport
@testable import Stepper

/// Text snapshots of frames, kept next to the tests in `Snapshots/` (see ``Golden``).
///
/// A snapshot holds the screen's text, then its roles (one code per cell, see ``Role/code``),
/// so that a change in what stands out is caught as well as a change in the text.
enum Snapshot {
    static let directory = repositoryRoot.appendingPathComponent("Tests/StepperTests/Snapshots")

    /// The text a snapshot file holds for `grid`.
    static func text(of grid: CellGrid) -> String {
        "\(grid.columns)×\(grid.rows)\n\(grid.text)\n--- roles ---\n\(grid.roleMap)\n"
    }

    /// Compares `grid` with the snapshot `name`, or records it.
    static func check(_ grid: CellGrid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.check(text(of: grid), directory.appendingPathComponent(name + ".txt"), sourceLocation: sourceLocation)
    }
}
