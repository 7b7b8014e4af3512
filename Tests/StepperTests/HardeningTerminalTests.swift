import Foundation
import Glibc
import Testing
import TestSupport
@testable import Stepper

/// The stepper under hostile terminals, through the built binary under tmux: tiny windows, a
/// huge graph of long names, a window resized hundreds of times, signals in the middle of all
/// that, and the terminal closed under it. Whatever happens, gradflow exits, and the terminal is
/// left as it was found: the alternate screen left, the cursor shown, echo and line mode back.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct HardeningTerminalTests {
    /// A file the shell writes after the stepper: its exit status, then the terminal's modes.
    let report = Scratch.root.appendingPathComponent("stepper-report-\(UUID().uuidString)").path

    /// Runs `gradflow step` in a shell that afterwards reports the exit status and the modes.
    func stepper(_ arguments: String, columns: Int = 100, rows: Int = 30, environment: String = "") throws -> TmuxSession {
        try TmuxSession("sh -c 'trap : INT QUIT; echo shell before; \(environment) \(gradflowBinary.path) step \(arguments); "
            + "echo \"exit status $?\" > \(report); stty -a >> \(report); echo end of report >> \(report); sleep 120'",
            columns: columns, rows: rows)
    }

    /// Waits for the shell's report and checks everything a user would notice afterwards.
    /// (`screenBefore`: whether the shell's first line can still be on screen; a 2×2 window
    /// scrolled it away.)
    func expectRestored(_ session: TmuxSession, status: Int, screenBefore: Bool = true) throws {
        let deadline = Date().addingTimeInterval(30)
        var text = ""
        while Date() < deadline, !text.contains("end of report") {
            usleep(30_000)
            text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        }
        try? FileManager.default.removeItem(atPath: report)
        #expect(text.hasPrefix("exit status \(status)\n"), "the report was: \(text)")
        let modes = text.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" })
        #expect(modes.contains("icanon") && modes.contains("echo"), "line mode and echo are back: \(text)")
        let state = try tmux(session, ["display-message", "-p", "-t", session.name, "#{alternate_on} #{cursor_flag}"])
        #expect(state == "0 1", "alternate screen left (0) and cursor shown (1), found \(state)")
        if screenBefore {
            try session.resize(columns: 100, rows: 30)
            #expect(try session.waitFor(text: "shell before").contains("shell before"), "the screen from before is back")
        }
    }

    @Test(arguments: [(10, 24), (10, 4), (200, 3), (2, 2)])
    func aTinyTerminalSaysSoAndQuitsCleanly(columns: Int, rows: Int) throws {
        let session = try stepper("Scenes/survey.scene", columns: columns, rows: rows)
        // Once it has taken the screen (the alternate one), it must still be there and answer q.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try tmux(session, ["display-message", "-p", "-t", session.name, "#{alternate_on}"]) != "1" {
            usleep(30_000)
        }
        #expect(!FileManager.default.fileExists(atPath: report), "the stepper is still running")
        try session.send("q")
        try expectRestored(session, status: 0, screenBefore: columns >= 20 && rows >= 5)
    }

    @Test func tenThousandNodesWithLongNamesStepToTheEndAndBack() throws {
        let name = String(repeating: "activation_", count: 22)  // 242 characters
        let scene = try temporaryScene("""
            input x = 0.5
            \(name) = x
            repeat 3333 { \(name) = sin(\(name)) * 0.5 + x }
            output \(name)
            """, name: "large.scene")
        let session = try stepper(scene, columns: 120, rows: 40)
        try session.waitFor(text: "step 0 of", seconds: 120)
        try session.send("End")
        var screen = try session.waitFor("the last step", seconds: 60) { $0.range(of: #"step (\d+) of \1\b"#, options: .regularExpression) != nil }
        #expect(screen.contains("activation_"))
        try session.send("h")
        screen = try session.waitFor("one step back", seconds: 60) { $0.range(of: #"step (\d+) of (?!\1\b)\d+"#, options: .regularExpression) != nil }
        try session.send("f", "z", "Home")
        try session.waitFor(text: "step 0 of", seconds: 60)
        try session.send("q")
        try expectRestored(session, status: 0)
    }

    @Test func aWindowResizedHundredsOfTimesStillAnswers() throws {
        let session = try stepper("Scenes/survey.scene --phase backward")
        try session.waitFor(text: "step 8 of 16")
        var generator = SeededGenerator(seed: 1_337)
        for round in 0..<300 {
            try session.resize(columns: Int.random(in: 1...200, using: &generator), rows: Int.random(in: 1...60, using: &generator))
            if round % 25 == 0 { try session.send("l") }
        }
        try session.resize(columns: 100, rows: 30)
        // A frame drawn at one of the tiny random sizes can still say "of 16" without room for
        // x1; wait for the stepper's redraw at 100×30, which must come within the deadline.
        _ = try session.waitFor("a full redraw at 100×30") { screen in
            screen.contains("of 16") && (screen.contains("x̄1") || screen.contains("x1"))
        }
        try session.send("q")
        try expectRestored(session, status: 0)
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalDuringPlaybackAndResizingRestoresTheTerminal(signal: Int32) throws {
        let session = try stepper("Scenes/neuron.scene")
        try session.waitFor(text: "step 0 of")
        try session.send("p", "+", "+", "+")
        for round in 0..<40 {
            try session.resize(columns: 60 + round % 3 * 40, rows: 20 + round % 2 * 20)
        }
        let pid = try #require(try session.childOfShell())
        Glibc.kill(pid, signal)
        try session.resize(columns: 100, rows: 30)
        try expectRestored(session, status: 128 + Int(signal))
    }

    /// End and Home as tmux sends them (`ESC [ 4 ~`, `ESC [ 1 ~`), which the xterm-256color
    /// entry does not list: they used to arrive as a lone Esc, and the stepper quit.
    @Test func keysUnknownToTheTerminfoEntryDoNotQuit() throws {
        let session = try stepper("Scenes/survey.scene")
        try session.waitFor(text: "step 0 of 16")
        try session.send("End")
        try session.waitFor(text: "step 16 of 16")
        try session.send("Home", "F12", "M-x", "l")
        try session.waitFor(text: "step 1 of 16")
        try session.send("q")
        try expectRestored(session, status: 0)
    }

    /// Closing the terminal window: the stepper must leave rather than spin on a dead terminal.
    @Test func closingTheTerminalEndsTheStepper() throws {
        let session = try stepper("Scenes/survey.scene")
        try session.waitFor(text: "step 0 of")
        let pid = try #require(try session.childOfShell())
        _ = try tmux(session, ["kill-session", "-t", session.name])
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, isRunning(pid) { usleep(50_000) }
        #expect(!isRunning(pid), "gradflow step (pid \(pid)) still runs after its terminal closed")
    }

    private func isRunning(_ pid: pid_t) -> Bool {
        // A zombie has exited; only a live process counts.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }

    private func tmux(_ session: TmuxSession, _ arguments: [String]) throws -> String {
        let run = try runProgram("/usr/bin/tmux", ["-L", session.name] + arguments)
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The decoding of escape sequences that ncurses leaves undecoded.
@Suite struct HardeningEscapeSequenceTests {
    @Test func homeEndAndPagesInEveryCommonSpelling() {
        for (text, key) in [("[1~", Key.home), ("[7~", .home), ("[H", .home), ("OH", .home), ("[4~", .end), ("[8~", .end),
                            ("[F", .end), ("OF", .end), ("[5~", .pageUp), ("[6~", .pageDown), ("[A", .up), ("OD", .left)] {
            #expect(EscapeSequence.key(after: text) == key, "\(text)")
        }
    }

    @Test func anythingElseMeansNothing() {
        for text in ["[24~", "[1;5C", "x", "[", "O", "[200~"] {
            #expect(EscapeSequence.key(after: text) == nil, "\(text)")
        }
    }

    @Test func controlSequencesEndAtTheirFinalByte() {
        #expect(EscapeSequence.endsControlSequence("~") && EscapeSequence.endsControlSequence("A"))
        #expect(!EscapeSequence.endsControlSequence("1") && !EscapeSequence.endsControlSequence(";"))
    }
}
