import Foundation
import Testing
import TestSupport

/// `gradflow export` when the destination misbehaves: each failure is one line on stderr and a
/// non-zero exit, nothing partial is left behind, and what was there before is untouched.
@Suite struct HardeningExportFaultTests {
    @Test(arguments: ["missing/graph.svg", "plain-file/graph.svg", "."])
    func anUnwritableDestinationIsOneClearLine(relativePath: String) throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: directory + "/plain-file"))
        let destination = directory + "/" + relativePath
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", destination, "--format", "svg"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("gradflow: error: cannot write '\(destination)': "), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["plain-file"])
    }

    @Test func anExistingFileIsReplacedWholeKeepingItsPermissions() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let destination = directory + "/graph.dot"
        try Data("old".utf8).write(to: URL(fileURLWithPath: destination))
        chmod(destination, 0o640)
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", destination])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: destination, encoding: .utf8)
        #expect(text.hasPrefix("digraph gradflow {") && text.hasSuffix("}\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["graph.dot"], "no temporary file left")
        #expect(permissions(of: destination) == 0o640)
    }

    @Test func writingThroughASymbolicLinkReplacesItsTarget() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("old".utf8).write(to: URL(fileURLWithPath: directory + "/target.dot"))
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.dot", withDestinationPath: "target.dot")
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", directory + "/link.dot"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/link.dot") == "target.dot")
        #expect(try String(contentsOfFile: directory + "/target.dot", encoding: .utf8).hasPrefix("digraph gradflow {"))
    }

    /// A full disk: the error says so, and the device stays a device. (As root the test uses a
    /// private copy of /dev/full, because renaming a temporary file over the real one, which the
    /// exporter used to do, would replace it for the whole machine.)
    @Test func aFullDeviceIsAClearErrorAndStaysADevice() throws {
        var device = "/dev/full"
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if getuid() == 0 {
            device = directory + "/full"
            // Device 1:7 is /dev/full (glibc's makedev is a macro: major << 8 | minor for small numbers).
            #expect(mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0)
        }
        for format in ["dot", "svg", "html"] {
            let run = try runGradflow(["export", "Scenes/survey.scene", "-o", device, "--format", format])
            #expect(run.status == 2)
            #expect(run.stderr == "gradflow: error: cannot write '\(device)': No space left on device\n")
            var status = stat()
            #expect(stat(device, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "\(device) is still a character device")
        }
    }

    @Test func framesIntoAFileThatIsNotADirectoryIsOneLine() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/frames"
        try Data("a file".utf8).write(to: URL(fileURLWithPath: file))
        let run = try runGradflow(["export", "Scenes/survey.scene", "--frames", file, "--format", "dot"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("gradflow: error: cannot write '\(file)': "), "\(run.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "a file")
    }

    private func makeDirectory() throws -> String {
        let url = Scratch.root.appendingPathComponent("gradflow-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    private func permissions(of path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }
}
