import Foundation
import Glibc
import Testing
import TestSupport

/// The stepper in a terminal session, as a user and the test suite use it: suspended and
/// resumed by the shell's job control, fed a long paste, and ended when its tmux server goes.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct StepperSessionTests {
    let terminal = HardeningTerminalTests()

    /// Ctrl-Z gives the shell a sane terminal (main screen, cursor, echo and line mode), `fg`
    /// takes it again and the stepper goes on where it was; `q` then ends it with status 0.
    /// Started from the test runner, which blocks SIGTSTP (tmux and bash pass the mask on),
    /// Ctrl-Z used to do nothing: the stepper now unblocks the signals ncurses handles.
    @Test func ctrlZSuspendsWithTheTerminalGivenBackAndFgResumes() throws {
        let report = Scratch.root.appendingPathComponent("stopped-\(UUID().uuidString)").path
        defer { unlink(report) }
        let session = try TmuxSession("bash --norc --noprofile -i", columns: 100, rows: 30)
        try session.send("PS1='$ '; \(gradflowBinary.path) step Scenes/survey.scene", "Enter")
        try session.waitFor(text: "step 0 of 16", seconds: 30)
        try session.send("C-z")
        try session.waitFor(text: "Stopped", seconds: 10)
        #expect(try tmux(session, ["display-message", "-p", "-t", session.name, "#{alternate_on} #{cursor_flag}"]) == "0 1")
        try session.send("stty -a > \(report); fg", "Enter")
        try session.waitFor(text: "step 0 of 16", seconds: 10)
        let modes = try String(contentsOfFile: report, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" })
        #expect(modes.contains("icanon") && modes.contains("echo"), "line mode and echo while stopped: \(modes)")
        try session.send("Right")
        try session.waitFor(text: "step 1 of 16", seconds: 10)
        try session.send("q")
        try session.waitFor(text: "$ ", seconds: 10)
        try session.send("echo \"status $?\"", "Enter")
        try session.waitFor(text: "status 0", seconds: 10)
    }

    /// 20,000 characters pasted into the find prompt: the prompt shows their end, where the
    /// cursor is. The driver used to wait up to 30 ms for a frame after every key (10 minutes
    /// for this paste) and the prompt showed the start of the query.
    @Test func aPasteIntoTheFindPromptShowsItsEnd() throws {
        let session = try terminal.stepper("Scenes/survey.scene")
        try session.waitFor(text: "step 0 of 16", seconds: 30)
        try session.send("/")
        try session.waitFor(text: "find a node:")
        // In pieces: a tmux command is at most 16 KiB.
        let paste = String((0..<20_000).map { Character(String($0 % 10)) }) + "END"
        var rest = Substring(paste)
        while !rest.isEmpty {
            try session.send("-l", String(rest.prefix(2_000)))
            rest = rest.dropFirst(2_000)
        }
        try session.waitFor(text: "789END█", seconds: 120)
        try session.send("Escape")
        try session.waitFor(text: "q quit")
        try session.send("q")
        try terminal.expectRestored(session, status: 0)
    }

    /// `make test` used to leave tmux servers and steppers running when `kill-server` could not
    /// reach a server (its socket gone): ending a session now kills its own server by pid, and
    /// the stepper ends with its terminal.
    @Test func aSessionWhoseSocketIsGoneIsStillEnded() throws {
        let session = try terminal.stepper("Scenes/survey.scene")
        try session.waitFor(text: "step 0 of 16", seconds: 30)
        let server = try #require(session.serverPID)
        let stepper = try #require(try session.childOfShell())
        #expect(unlink(session.socketPath) == 0)
        session.end()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, DriverRobustnessTests.isRunning(server) || DriverRobustnessTests.isRunning(stepper) {
            usleep(20_000)
        }
        let left = [server, stepper].filter(DriverRobustnessTests.isRunning)
        for pid in left { kill(pid, SIGKILL) }
        #expect(left.isEmpty, "still running: \(left) (server \(server), stepper \(stepper))")
    }

    private func tmux(_ session: TmuxSession, _ arguments: [String]) throws -> String {
        let run = try runProgram("/usr/bin/tmux", ["-L", session.name] + arguments)
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
