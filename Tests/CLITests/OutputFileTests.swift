import Foundation
import Testing
import TestSupport

/// Where `export -o` writes and what it must never replace: `-o -` and the descriptors a shell
/// opened, read-only files, the scene itself, links; and no temporary file left behind.
@Suite struct OutputFileTests {
    @Test func dashWritesToStandardOutput() throws {
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", "-", "--format", "dot"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("digraph gradflow {") && run.stdout.hasSuffix("}\n"))
    }

    @Test func dashNeedsAFormat() throws {
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", "-"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("-o - writes to standard output; say which format with --format"))
    }

    /// `-o /dev/stdout` inside a redirected block used to replace the shell's file with the DOT.
    @Test func devStdoutWritesWhereTheShellPointsIt() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try runGradflowInShell(#"{ echo HEADER; "$GRADFLOW" export Scenes/survey.scene -o /dev/stdout --format dot; echo FOOTER; } > "#
            + directory + "/log.txt")
        #expect(run.status == 0, "\(run.stderr)")
        let log = try String(contentsOfFile: directory + "/log.txt", encoding: .utf8)
        #expect(log.hasPrefix("HEADER\ndigraph gradflow {"))
        #expect(log.hasSuffix("}\nFOOTER\n"))
    }

    @Test func devStderrAppendsToTheLog() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/err.log"
        try Data("EARLIER\n".utf8).write(to: URL(fileURLWithPath: log))
        let run = try runGradflowInShell(#""$GRADFLOW" export Scenes/survey.scene -o /dev/stderr --format dot 2>> "# + log)
        #expect(run.status == 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.hasPrefix("EARLIER\ndigraph gradflow {"), "\(text.prefix(40))")
    }

    /// As an unprivileged user: a file without write permission is refused, as `>` refuses it.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func aReadOnlyFileIsRefused() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o777)
        let file = directory + "/graph.dot"
        try Data("old".utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o444)
        let run = try runProgram("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                                      gradflowBinary.path, "export", repositoryRoot.path + "/Scenes/survey.scene", "-o", file])
        #expect(run.status == 2)
        #expect(run.stderr == "gradflow: error: cannot write '\(file)': Permission denied\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "old")
    }

    @Test func theSceneItselfIsNeverOverwritten() throws {
        let scene = try temporaryScene(try String(contentsOfFile: repositoryRoot.path + "/Scenes/survey.scene", encoding: .utf8))
        defer { try? FileManager.default.removeItem(atPath: (scene as NSString).deletingLastPathComponent) }
        let before = try String(contentsOfFile: scene, encoding: .utf8)
        let run = try runGradflow(["export", scene, "-o", scene, "--format", "dot"])
        #expect(run.status == 2)
        #expect(run.stderr == "gradflow: error: -o \(scene) is the scene file itself; write the picture to another file\n")
        #expect(try String(contentsOfFile: scene, encoding: .utf8) == before)
    }

    /// A chart picture (`train`, `plot` of a scene, `check --sweep`) whose -o names the scene
    /// itself, here a scene called t.svg: the picture used to replace the scene.
    @Test(arguments: [["train"], ["plot", "--wrt", "a"], ["check", "--sweep"]])
    func aChartPictureNeverReplacesItsScene(command: [String]) throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let scene = directory + "/t.svg"
        let text = try String(contentsOfFile: repositoryRoot.path + "/Scenes/train-line-fit.scene", encoding: .utf8)
        try Data(text.utf8).write(to: URL(fileURLWithPath: scene))
        let run = try runGradflow([command[0], scene] + command.dropFirst() + ["-o", scene])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr == "gradflow: error: -o \(scene) is the scene file itself; write the picture to another file\n")
        #expect(try String(contentsOfFile: scene, encoding: .utf8) == text)
    }

    @Test func aDanglingLinkGetsItsTargetCreated() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.dot", withDestinationPath: "target.dot")
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", directory + "/link.dot"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/link.dot") == "target.dot")
        #expect(try String(contentsOfFile: directory + "/target.dot", encoding: .utf8).hasPrefix("digraph gradflow {"))
    }

    @Test func everyHardLinkSeesTheNewContents() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("old contents that are longer than nothing".utf8).write(to: URL(fileURLWithPath: directory + "/a.dot"))
        #expect(link(directory + "/a.dot", directory + "/b.dot") == 0)
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", directory + "/a.dot"])
        #expect(run.status == 0, "\(run.stderr)")
        let other = try String(contentsOfFile: directory + "/b.dot", encoding: .utf8)
        #expect(other.hasPrefix("digraph gradflow {") && other.hasSuffix("}\n"))
    }

    /// A slow disk (each fsync held 2.5 s by strace) against a 1 s limit: the limit is
    /// Graphviz's, so the picture is written; it used to end with "nothing was written" and a
    /// complete temporary file left beside the destination. DOT, which needs no Graphviz, too.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")), arguments: ["svg", "dot"])
    func aSlowDiskIsNotATimeout(format: String) throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/survey." + format
        let run = try runProgram("/usr/bin/strace", ["-f", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:delay_enter=2500000",
                                                     gradflowBinary.path, "export", repositoryRoot.path + "/Scenes/survey.scene",
                                                     "-o", output, "--time-limit", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["survey." + format])
    }

    /// SIGTERM while the picture is being written (held in fsync): the temporary file goes too.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")))
    func aSignalDuringTheWriteLeavesNoTemporaryFile() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let interrupted = signalDuringRun(["export", repositoryRoot.path + "/Scenes/survey.scene", "-o", directory + "/survey.dot"],
                                          holding: "fsync") {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains { $0.hasPrefix(".survey.dot.tmp-") }
        }
        #expect(interrupted, "the temporary file never appeared")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// SIGTERM during `plot -o x.png`: while the picture is written (held in fsync), and while
    /// Graphviz draws the chart's SVG from its private directory (held in the unlink that ends
    /// it). `plot` used to install no handler: the temporary picture, or the directory, stayed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")), arguments: ["fsync", "unlink"])
    func aSignalDuringAChartPictureLeavesNothingBehind(holding syscall: String) throws {
        let directory = try makeDirectory(), temporary = try makeDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: temporary)
        }
        let interrupted = signalDuringRun(["plot", "tanh(x)", "--over", "-3:3", "-o", directory + "/tanh.png"],
                                          holding: syscall, environment: ["TMPDIR": temporary]) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                + ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [])
            return names.contains { $0.hasPrefix(".tanh.png.tmp-") || $0.hasPrefix("gradflow-chart-") }
        }
        #expect(interrupted, "no temporary file appeared")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory) + FileManager.default.contentsOfDirectory(atPath: temporary)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// Frames of an earlier, longer walk in the same directory are not left beside the new ones.
    @Test func framesOfAnEarlierWalkAreRemoved() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["frame-0099.dot", "frame-0017.svg", "notes.txt"] {
            try Data("old".utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let run = try runGradflow(["export", "Scenes/survey.scene", "--frames", directory, "--format", "dot"])
        #expect(run.status == 0, "\(run.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == (1...16).map { String(format: "frame-%04d.dot", $0) } + ["notes.txt"])
    }

    private func makeDirectory() throws -> String {
        let url = Scratch.root.appendingPathComponent("gradflow-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

/// Scene files that cannot be read say why, in the system's words.
@Suite struct SceneReadingTests {
    @Test func procSelfMemIsAnInputOutputError() throws {
        let run = try runGradflow(["grad", "/proc/self/mem"])
        #expect(run.status == 2)
        #expect(run.stderr == "/proc/self/mem: error: cannot be read: Input/output error\n")
    }

    /// A directory the user may not search hides whether the file exists: "Permission denied".
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func aDirectoryWithoutSearchPermissionIsNotMissing() throws {
        let scene = try temporaryScene("input x = 1\noutput x\n")
        let directory = (scene as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o700)
        let run = try runProgram("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                                      gradflowBinary.path, "grad", scene])
        #expect(run.status == 2)
        #expect(run.stderr == "\(scene): error: cannot be read: Permission denied\n")
    }

    /// A `sum` of 2,000 nodes: every row of the text trace used to be padded to the width of
    /// the sum's expression (28 MB here; 1.28 GB for 10,000 nodes).
    @Test func aWideExpressionDoesNotPadEveryRow() throws {
        var text = "input x = 1\n"
        for index in 0..<2_000 { text += "v\(index) = x * \(index + 1)\n" }
        text += "f = sum(\((0..<2_000).map { "v\($0)" }.joined(separator: ", ")))\noutput f\n"
        let run = try runGradflow(["trace", try temporaryScene(text)])
        #expect(run.status == 0)
        #expect(run.stdout.utf8.count < 2_000_000, "\(run.stdout.utf8.count) bytes")
        #expect(run.stdout.contains("sum(v0, v1, v2"))
    }
}
