import Foundation
import Glibc
import Testing
import TestSupport

/// The test suite ends what it starts: its files live in one directory per test process
/// (``Scratch``), removed at exit, and a crashed run's directory is removed by the next.
/// Runs used to leave hundreds of `gradflow-scene-*`, `gradflow-out-*` and `gradflow-export-*`
/// directories in /tmp each.
@Suite struct TestHygieneTests {
    @Test func aDeadTestProcessDirectoryIsRemovedAndALiveOneKept() throws {
        let base = try Scratch.directory("hygiene")
        let dead = base.appendingPathComponent("gradflow-tests-2147483646")  // above any pid_max
        let live = base.appendingPathComponent("gradflow-tests-\(getppid())")
        let other = base.appendingPathComponent("gradflow-other-1")
        for url in [dead, live, other] {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.appendingPathComponent("file").path, contents: Data("x".utf8))
        }
        Scratch.removeLeftovers(in: base)
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(FileManager.default.fileExists(atPath: other.path))
    }

    /// No test makes files outside the scratch directory.
    @Test func everyTestMakesItsFilesUnderTheScratchDirectory() throws {
        let tests = repositoryRoot.appendingPathComponent("Tests")
        let enumerator = try #require(FileManager.default.enumerator(atPath: tests.path))
        var offenders: [String] = []
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasSuffix("Scratch.swift"), !path.hasSuffix("TestHygieneTests.swift") else { continue }
            let text = try String(contentsOf: tests.appendingPathComponent(path), encoding: .utf8)
            for pattern in ["FileManager.default.temporaryDirectory", "NSTemporaryDirectory()", "mkdtemp("] where text.contains(pattern) {
                offenders.append("\(path): \(pattern)")
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
