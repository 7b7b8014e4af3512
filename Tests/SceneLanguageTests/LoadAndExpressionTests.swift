import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `Scene.load` (files, bytes that are not text) and `Scene.expression` (`gradflow eval`).
@Suite struct LoadAndExpressionTests {
    /// Writes `bytes` to a fresh temporary file and returns its path.
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = Scratch.root
            .appendingPathComponent("gradflow-scene-\(UUID().uuidString).scene").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func loadError(_ path: String, limits: SceneLimits = .standard) -> [Diagnostic] {
        do {
            _ = try Scene.load(path: path, limits: limits)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func loadsTheSurveyFromTheRepository() throws {
        let path = repositoryRoot.appendingPathComponent("Scenes/survey.scene").path
        let scene = try Scene.load(path: path)
        #expect(scene.fileName == path)
        #expect(scene.title == "Baydin et al. (2018): f(x1, x2) = ln(x1) + x1*x2 - sin(x2)")
        #expect(scene.source.hasPrefix("# What it teaches"))
    }

    @Test func missingFilesAndDirectoriesAreOneLine() {
        #expect(loadError("/nonexistent/dir/x.scene").map(\.rendered) == ["/nonexistent/dir/x.scene: error: no such file"])
        #expect(loadError("/tmp").map(\.rendered) == ["/tmp: error: is a directory, not a scene file"])
    }

    @Test func endlessFilesStopAtTheSizeLimit() {
        let found = loadError("/dev/zero", limits: SceneLimits(maxSourceBytes: 1_000))
        #expect(found.map(\.rendered) == ["/dev/zero: error: the scene is larger than 1000 bytes, the limit for a scene file"])
    }

    @Test func invalidUTF8IsReportedAtTheFirstBadByte() throws {
        // Line 2 is "y = θ" then the lone continuation byte 0x80: column 6 (θ counts as one).
        let bytes = Array("input x = 1\ny = θ".utf8) + [0x80] + Array(" + x\noutput y\n".utf8)
        let path = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(loadError(path).map(\.rendered) == ["""
            \(path):2:6: error: the file is not valid UTF-8 (byte 0x80)
            y = θ� + x
                 ^
            """])
    }

    @Test func utf8ValidationRejectsOverlongFormsAndSurrogates() throws {
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            let path = try temporaryFile(Array("y = 1 #".utf8) + bad)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(loadError(path).first?.column == 8, "\(bad)")
        }
        let good = try temporaryFile(Array("# €𝄞θ\ny = 1\noutput y".utf8))
        defer { try? FileManager.default.removeItem(atPath: good) }
        #expect(loadError(good).isEmpty)
    }

    @Test func expressionMakesInputsInTheOrderGiven() throws {
        let scene = try Scene.expression("ln(x1) + x1*x2 - sin(x2)", values: [(name: "x1", value: 2), (name: "x2", value: 5)])
        #expect(scene.inputs.map(\.name) == ["x1", "x2"])
        #expect(scene.outputs.map(\.name) == ["f"])
        #expect(isClose(scene.value("f"), 11.652071455223084))
        #expect(isClose(scene.derivative(of: "f", by: "x1"), 5.5))
        #expect(isClose(scene.derivative(of: "f", by: "x2"), 1.7163378145367738))
        #expect(scene.title == "f = ln(x1) + x1*x2 - sin(x2)")
        #expect(scene.graph.checkInvariants())
    }

    @Test func expressionOutputAvoidsAnInputsName() throws {
        let scene = try Scene.expression("f * y", values: [(name: "f", value: 2), (name: "y", value: 3)])
        #expect(scene.outputs.map(\.name) == ["out"])
        #expect(scene.value("out") == 6)
        let crowded = try Scene.expression("f + y + out + result + f_1", values: ["f", "y", "out", "result", "f_1"].map { (name: $0, value: 1.0) })
        #expect(crowded.outputs.map(\.name) == ["f_2"])
        #expect(crowded.value("f_2") == 5)
        let plain = try Scene.expression("x", values: [(name: "x", value: 2)])
        #expect(plain.outputs == [NamedNode(name: "f", node: 0)])
    }

    @Test func expressionDiagnostics() {
        func failure(_ text: String, _ values: [(name: String, value: Double)]) -> String {
            do {
                _ = try Scene.expression(text, values: values)
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(failure("x * q", [(name: "x", value: 1)]) == """
            <expression>:1:5: error: `q` has no value; give it one with --at q=…
            x * q
                ^
            """)
        #expect(failure("x * ", [(name: "x", value: 1)]) == """
            <expression>:1:5: error: expected a value, found end of file
            x * 
                ^
            """)
        #expect(failure("x; y = 2", [(name: "x", value: 1)]) == """
            <expression>:1:4: error: expected the end of the expression, found `y`
            x; y = 2
               ^
            """)
        #expect(failure("x", [(name: "2x", value: 1)]) == "--at: error: `2x` is not a valid input name")
        #expect(failure("x", [(name: "x", value: 1), (name: "x", value: 2)]) == "--at: error: `x` is given twice")
    }
}
