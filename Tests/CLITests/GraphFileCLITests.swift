import Foundation
import Testing
import TestSupport

/// `export -o FILE.json` and every command reading the graph file in place of a scene.
@Suite struct GraphFileCLITests {
    /// A fresh directory, removed by `body`'s end.
    func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = Scratch.root.appendingPathComponent("gradflow-graphfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    @Test func everyCommandReadsTheExportedFileAsItReadsTheScene() throws {
        try withDirectory { directory in
            let json = directory.appendingPathComponent("neuron.json").path
            let export = try runGradflow(["export", "Scenes/neuron.scene", "-o", json])
            #expect(export.status == 0 && export.stderr.isEmpty)
            for arguments in [["grad"], ["trace"], ["trace", "--format", "json"], ["trace", "--wrt", "w1"]] {
                let fromScene = try runGradflow(arguments.prefix(1) + ["Scenes/neuron.scene"] + arguments.dropFirst())
                let fromFile = try runGradflow(arguments.prefix(1) + [json] + arguments.dropFirst())
                #expect(fromFile.status == 0 && fromFile.stderr.isEmpty, "\(arguments): \(fromFile.stderr)")
                #expect(fromFile.stdout == fromScene.stdout, "\(arguments)")
            }

            // The micrograd lecture's neuron: o = tanh(n) = 1/√2, ∂o/∂w1 = x1 · (1 − o²) = 2 · 0.5 = 1.
            let grad = try runGradflow(["grad", json])
            let line = try #require(grad.stdout.split(separator: "\n").first { $0.contains("∂o/∂w1 = ") })
            #expect(isClose(Double(line.split(separator: " ").last!) ?? .nan, 1))
            let svg = directory.appendingPathComponent("neuron.svg").path
            #expect(try runGradflow(["export", json, "-o", svg, "--step", "9"]).status == 0)
            #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
            let check = try runGradflow(["check", json])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("recorded values and local derivatives against gradflow's rules: all 14 agree"))
        }
    }

    @Test func formatJSONAndRefusedPictureOptions() throws {
        try withDirectory { directory in
            let out = directory.appendingPathComponent("survey.graph").path
            #expect(try runGradflow(["export", "Scenes/survey.scene", "-o", out, "--format", "json"]).status == 0)
            #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("{\n  \"format\": \"gradflow-graph\""))
            let stepped = try runGradflow(["export", "Scenes/survey.scene", "-o", directory.appendingPathComponent("x.json").path, "--step", "3"])
            #expect(stepped.status == 64)
            #expect(stepped.stderr.contains("a graph file holds the whole graph and every step"))
        }
    }

    /// Names in a graph file come from another program (Python keeps `ν` and `v` apart): a name
    /// that looks like another is warned about, and the file is still read.
    @Test func aLookalikeNameInAGraphFileIsWarnedAbout() throws {
        try withDirectory { directory in
            let json = directory.appendingPathComponent("survey.json").path
            #expect(try runGradflow(["export", "Scenes/survey.scene", "-o", json]).status == 0)
            let text = try String(contentsOfFile: json, encoding: .utf8)
            #expect(text.contains("\"name\": \"v3\""))
            try text.replacingOccurrences(of: "\"name\": \"v3\"", with: "\"name\": \"\u{3BD}2\"")
                .write(toFile: json, atomically: true, encoding: .utf8)
            let grad = try runGradflow(["grad", json])
            #expect(grad.status == 0)
            #expect(grad.stderr.contains("survey.json: warning: node 4: the name `\u{3BD}2` looks like `v2` but is a different name"),
                    "\(grad.stderr)")
        }
    }

    /// A graph file's inputs and constants must be finite, so the reader refuses `"NaN"` there;
    /// export used to write such a file anyway (status 0) from `input x = 0/0`, and no command
    /// could read it back. A NaN computed from finite leaves is still written, and read.
    @Test(arguments: [("input x = 0/0\ny = x * 2\noutput y\n", "`x` is NaN"),
                      ("input W = [[0/0, 1], [2, 3]]\nloss = sum(W @ W)\noutput loss\n", "`W` holds NaN"),
                      ("input x = [1, 2]\nconst c = [0/0, 1]\ny = sum(x * c)\noutput y\n", "`c` holds NaN")])
    func aNonFiniteLeafIsNotWrittenIntoAGraphFile(scene text: String, leaf: String) throws {
        try withDirectory { directory in
            let json = directory.appendingPathComponent("nan.json").path
            let export = try runGradflow(["export", try temporaryScene(text), "-o", json])
            #expect(export.status == 2)
            #expect(export.stderr.contains(": \(leaf); a graph file holds finite inputs and constants only, so nothing was written"),
                    "\(export.stderr)")
            #expect(!FileManager.default.fileExists(atPath: json))
        }
    }

    @Test func aNonFiniteComputedNodeIsWrittenAndReadBack() throws {
        try withDirectory { directory in
            let json = directory.appendingPathComponent("inf.json").path
            let export = try runGradflow(["export", try temporaryScene("input x = 1e308\ny = x * 10\noutput y\n"), "-o", json])
            #expect(export.status == 0)
            let grad = try runGradflow(["grad", json])
            #expect(grad.status == 0, "\(grad.stderr)")
            #expect(grad.stdout.hasPrefix("y = Infinity\n"), "\(grad.stdout)")
        }
    }

    @Test func aWrongLocalDerivativeIsNamedAndCheckFails() throws {
        try withDirectory { directory in
            let json = directory.appendingPathComponent("survey.json").path
            #expect(try runGradflow(["export", "Scenes/survey.scene", "-o", json]).status == 0)
            let text = try String(contentsOfFile: json, encoding: .utf8)
            // v2 = x1 · x2 at (2, 5): ∂v2/∂x2 = x1 = 2; the file is made to claim 3.
            #expect(text.contains("\"partials\": [5, 2]"))
            try text.replacingOccurrences(of: "\"partials\": [5, 2]", with: "\"partials\": [5, 3]").write(toFile: json, atomically: true, encoding: .utf8)
            let grad = try runGradflow(["grad", json])
            #expect(grad.status == 0)
            #expect(grad.stderr == "\(json): warning: node 3 (v2 = x1 · x2): the file's ∂v2/∂x2 (operand 1) is 3, gradflow's rule for multiply gives 2\n")
            // The gradient is the file's: ∂f/∂x2 = 3 − cos 5, not 2 − cos 5.
            #expect(grad.stdout.contains("∂f/∂x2 = 2.716337814536774"))
            let check = try runGradflow(["check", json])
            #expect(check.status == 1)
            #expect(check.stdout.contains("1 of 13 disagree"))
            #expect(check.stderr.isEmpty)
        }
    }

    @Test func aTwoGigabyteFileIsRefusedWithoutReadingIt() throws {
        try withDirectory { directory in
            let path = directory.appendingPathComponent("huge.json").path
            // Sparse: `{` then 2 GB of holes.
            #expect(FileManager.default.createFile(atPath: path, contents: Data("{".utf8)))
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.truncate(atOffset: 2 << 30)
            try handle.close()
            let run = try runGradflow(["grad", path])
            #expect(run.status == 2)
            #expect(run.stderr == "\(path): error: the graph file is larger than 256 MiB, the limit for a graph file\n")
        }
    }

    @Test func aBrokenFileGetsAPositionedErrorAndStatus2() throws {
        try withDirectory { directory in
            let path = directory.appendingPathComponent("bad.json").path
            try "{\"format\": \"gradflow-graph\", \"version\": 1,\n \"nodes\": [{\"op\": \"tanh\", \"operands\": [4], \"partials\": [1], \"value\": 0}],\n \"outputs\": [{\"node\": 0}]}\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            let run = try runGradflow(["trace", path])
            #expect(run.status == 2)
            #expect(run.stderr.hasPrefix("\(path):2:40: error: nodes[0].operands[0]: operand 4 is not an earlier node"))
            #expect(run.stdout.isEmpty)
        }
    }
}
