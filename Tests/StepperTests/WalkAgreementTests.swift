import Foundation
import Testing
import TestSupport

/// `step` and `export` choose the walk by one set of rules: the same `--step`, `--phase`,
/// `--output`, `--mode` and `--wrt` open the stepper at the step the picture shows, and the same
/// mistakes get the same one-line message. The stepper runs under tmux, the exporter writes DOT.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct WalkAgreementTests {
    /// The caption `step K of N` that the DOT exported with `options` carries.
    func exportedStep(_ scene: String, _ options: String) throws -> String {
        let path = try temporaryScene("", name: "walk.dot")
        let run = try runGradflow(["export", scene, "-o", path] + options.split(separator: " ").map(String.init))
        #expect(run.status == 0, "\(options): \(run.stderr)")
        let dot = try String(contentsOfFile: path, encoding: .utf8)
        return dot.firstMatch(of: /step [0-9]+ of [0-9]+/).map { String($0.output) } ?? "no step line"
    }

    @Test("the same options open the stepper at the step the exported picture shows")
    func sameStep() throws {
        // The survey has 7 nodes: 16 steps in reverse mode (7, the seed, 8 contributions), 7 in
        // forward mode; two-outputs' `v` has 4 contributions: 7 + 1 + 4 = 12.
        let cases: [(scene: String, options: String, step: String)] = [
            ("survey", "--step 5", "step 5 of 16"), ("survey", "--phase forward", "step 1 of 16"),
            ("survey", "--phase forward --step 3", "step 3 of 16"), ("survey", "--phase seed", "step 8 of 16"),
            ("survey", "--phase backward", "step 8 of 16"), ("survey", "--phase backward --step 7", "step 14 of 16"),
            ("survey", "--phase end", "step 16 of 16"), ("survey", "--wrt x2 --step 4", "step 4 of 7"),
            ("survey", "--mode forward --phase end", "step 7 of 7"),
            ("two-outputs", "--output v --phase backward --step 2", "step 9 of 12"),
        ]
        for (scene, options, step) in cases {
            #expect(try exportedStep("Scenes/\(scene).scene", options) == step, "export \(options)")
        }
        // Between two steppers the shell waits for a key, so each screen is known to be the next one's.
        let script = cases.enumerated().map { index, run in
            ".build/debug/gradflow step Scenes/\(run.scene).scene \(run.options); echo case \(index) over; read line"
        }
        let session = try TmuxSession("sh -c '\(script.joined(separator: "; ")); sleep 60'", columns: 100, rows: 30)
        for (index, run) in cases.enumerated() {
            let screen = try session.waitFor(text: run.step)
            #expect(screen.contains(run.step), "step \(run.options)")
            try session.send("q")
            try session.waitFor(text: "case \(index) over")
            try session.send("Enter")
        }
    }

    @Test("the same mistakes get the same one-line message from both")
    func sameMessages() throws {
        let cases = ["--step 99", "--phase forward --step 8", "--phase backward --step 10", "--phase seed --step 2",
                     "--phase backward --wrt x1", "--output nope", "--wrt v1", "--mode reverse --wrt x1", "--step -1"]
        let log = try temporaryScene("", name: "stderr.log")
        let script = cases.map { ".build/debug/gradflow step Scenes/survey.scene \($0) 2>>\(log); echo done >>\(log)" }
        let session = try TmuxSession("sh -c '\(script.joined(separator: "; ")); sleep 60'", columns: 100, rows: 30)
        defer { withExtendedLifetime(session) {} }
        var stepLines: [String] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            stepLines = text.split(separator: "\n").map(String.init)
            if stepLines.filter({ $0 == "done" }).count == cases.count { break }
            usleep(50_000)
        }
        // The first line of each: the usage that follows a command-line mistake is each command's own.
        var stepMessages: [String] = [], pending: String?
        for line in stepLines {
            if line == "done" { stepMessages.append(pending ?? "(no message)"); pending = nil } else if pending == nil { pending = line }
        }
        #expect(stepMessages.count == cases.count)
        let out = try temporaryScene("", name: "x.svg")
        for (options, stepMessage) in zip(cases, stepMessages) {
            let run = try runGradflow(["export", "Scenes/survey.scene", "-o", out] + options.split(separator: " ").map(String.init))
            #expect(run.status != 0, "\(options)")
            let exportMessage = run.stderr.split(separator: "\n").first.map(String.init) ?? "(no message)"
            #expect(exportMessage == stepMessage, "\(options)")
            #expect(exportMessage.hasPrefix("gradflow: error: --"), "\(options): \(exportMessage)")
        }
    }
}
