import Foundation
import Glibc
import Testing
import TestSupport

/// The built binary under tmux: what a lecturer sees and does, keys in, screen out.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct TerminalEndToEndTests {
    /// Runs the stepper, then reports its exit status and the terminal modes it left behind.
    func stepper(_ arguments: String, columns: Int = 100, rows: Int = 30) throws -> TmuxSession {
        // The shell traps Ctrl-C (as an interactive shell would survive it) so it can report.
        try TmuxSession("sh -c 'trap : INT; echo before the stepper; .build/debug/gradflow step \(arguments); "
            + "echo \"gradflow exited $?\"; stty -a | tr \" \" \"\\n\" | grep -x -- \"-*icanon\\|-*echo\"; "
            + "echo modes reported; sleep 60'",
            columns: columns, rows: rows)
    }

    @Test func walksTheSurveyBackwardsUndoesAStepResizesAndQuitsCleanly() throws {
        let session = try stepper("Scenes/survey.scene --phase backward")
        try session.waitFor(text: "step 8 of 16")
        // Six steps on: x1 receives its first contribution, 5 (Baydin et al. 2018, table 3).
        try session.send("l", "l", "l", "l", "l", "l")
        var screen = try session.waitFor(text: "step 14 of 16")
        #expect(screen.contains("x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5   (x̄1: 0 → 5)"))
        // Two more: the second, from v1, makes 5.5.
        try session.send("Right", "Space")
        screen = try session.waitFor(text: "step 16 of 16")
        #expect(screen.contains("x̄1 += v̄1 · ∂v1/∂x1 = 1 · 0.5 = 0.5   (x̄1: 5 → 5.5)"))
        #expect(screen.contains("∂f/∂x1 = 5.5, ∂f/∂x2 = 1.716"))
        // One step back undoes it: x1 shows 5 again and 5.5 is nowhere.
        try session.send("h")
        screen = try session.waitFor(text: "step 15 of 16")
        #expect(!screen.contains("5.5"))
        #expect(screen.contains("[x1 2 │ 5"))

        try session.resize(columns: 60, rows: 20)
        try session.waitFor(text: "at least 80×24")
        try session.resize(columns: 120, rows: 40)
        screen = try session.waitFor("the wide layout") { $0.contains("┬── step 15") }
        #expect(screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 40)
        #expect(screen.contains("step 15 of 16"))

        try session.send("q")
        screen = try session.waitFor(text: "modes reported")
        #expect(screen.contains("gradflow exited 0"))
        // The screen the stepper took over is back, and the terminal is in line mode with echo.
        #expect(screen.contains("before the stepper"))
        #expect(!screen.contains("step 15 of 16"))
        let modes = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(modes.contains("icanon") && modes.contains("echo"))
    }

    @Test(arguments: ["C-c", "TERM", "HUP"])
    func restoresTheTerminalOnInterruptAndSignals(_ how: String) throws {
        let session = try stepper("Scenes/survey.scene")
        try session.waitFor(text: "step 0 of 16")
        if how == "C-c" {
            try session.send("C-c")
        } else {
            let stepper = try #require(try session.childOfShell())
            Glibc.kill(stepper, how == "TERM" ? SIGTERM : SIGHUP)
        }
        let signal = ["C-c": 2, "TERM": 15, "HUP": 1][how]!
        let screen = try session.waitFor(text: "modes reported")
        #expect(screen.contains("gradflow exited \(128 + signal)"))
        let modes = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(modes.contains("icanon") && modes.contains("echo"))
        #expect(screen.contains("before the stepper"))
    }

    @Test func speaksASCIIWhenTheLocaleIsNotUTF8() throws {
        let ascii = try TmuxSession("sh -c 'LC_ALL=C LANG=C .build/debug/gradflow step Scenes/survey.scene --step 14; sleep 60'",
                                    columns: 100, rows: 30)
        let screen = try ascii.waitFor(text: "step 14 of 16")
        #expect(screen.contains("x1_bar += v2_bar * dv2/dx1 = 1 * 5 = 5   (x1_bar: 0 -> 5)"))
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func refusesAtOnceWithoutATerminal() throws {
        // stdin is /dev/null and stdout a file: no screen to draw on.
        let run = try runGradflow(["step", "Scenes/survey.scene"])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("gradflow trace"))
        #expect(run.stderr.contains("gradflow export"))
    }

    @Test func refusesAnUnusableTerminalType() throws {
        let session = try TmuxSession("sh -c 'TERM=dumb .build/debug/gradflow step Scenes/survey.scene; echo \"gradflow exited $?\"; sleep 60'",
                                      columns: 100, rows: 30)
        let screen = try session.waitFor(text: "gradflow exited")
        #expect(screen.contains("gradflow exited 1"))
        #expect(screen.contains("TERM is 'dumb'"))
    }
}
