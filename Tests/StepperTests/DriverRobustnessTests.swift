import Foundation
import Glibc
import GradFlow
import Testing
import TestSupport
@testable import Stepper

/// The driver under a graph Graphviz takes minutes over, and under every signal that ends a
/// process: `q` and the signals are answered while a frame is still being made, and the
/// terminal is always given back (alternate screen left, cursor shown, line mode and echo on).
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct DriverRobustnessTests {
    let terminal = HardeningTerminalTests()

    /// 61 nodes, each the sum of all earlier ones: Graphviz's dot spends minutes crossing its
    /// 1,830 edges. The stepper used to be a blank screen deaf to every key and signal.
    static let denseScene = """
        input x = 1
        v0 = x * 2
        \((1...60).map { index in "v\(index) = sum(\((0..<index).map { "v\($0)" }.joined(separator: ", ")))" }.joined(separator: "\n"))
        output v60
        """

    @Test func quitsWhileGraphvizIsStillLayingOut() throws {
        let scene = try temporaryScene(Self.denseScene, name: "dense.scene")
        let session = try terminal.stepper(scene, columns: 120, rows: 40)
        try session.waitFor(text: "laying out the graph", seconds: 30)
        try session.send("q")
        try terminal.expectRestored(session, status: 0)
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func aSignalWhileGraphvizIsStillLayingOutRestoresTheTerminal(signal: Int32) throws {
        let scene = try temporaryScene(Self.denseScene, name: "dense.scene")
        let session = try terminal.stepper(scene, columns: 120, rows: 40)
        try session.waitFor(text: "laying out the graph", seconds: 30)
        let pid = try #require(try session.childOfShell())
        Glibc.kill(pid, signal)
        try terminal.expectRestored(session, status: 128 + Int(signal))
    }

    /// Every catchable signal whose default ends the process, and Ctrl-\ (SIGQUIT, which drew
    /// the runtime's crash report over the screen and waited 30 s with the terminal raw).
    @Test(arguments: [SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF, SIGXCPU])
    func everyTerminatingSignalRestoresTheTerminal(signal: Int32) throws {
        let session = try terminal.stepper("Scenes/survey.scene")
        try session.waitFor(text: "step 0 of 16")
        let pid = try #require(try session.childOfShell())
        Glibc.kill(pid, signal)
        try terminal.expectRestored(session, status: 128 + Int(signal))
    }

    @Test func controlBackslashQuitsCleanly() throws {
        let session = try terminal.stepper("Scenes/survey.scene")
        try session.waitFor(text: "step 0 of 16")
        try session.send("C-\\")
        try terminal.expectRestored(session, status: 128 + Int(SIGQUIT))
    }

    /// A terminal that goes away without SIGHUP reaching the stepper (here its parent blocked
    /// the signal, which exec keeps): the stepper used to poll the hung-up descriptor at 25% of
    /// a core for good (two such orphans of test runs were found an hour later). It now ends.
    @Test func endsWhenItsTerminalGoesEvenWithoutSIGHUP() throws {
        let blockHangUpThenRun = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP]); "
            + "os.execv(sys.argv[1], sys.argv[1:])"
        let session = try TmuxSession(
            "sh -c 'python3 -c \"\(blockHangUpThenRun)\" \(gradflowBinary.path) step Scenes/survey.scene; sleep 60'",
            columns: 100, rows: 30)
        try session.waitFor(text: "step 0 of 16", seconds: 30)
        let pid = try #require(try session.childOfShell())
        session.end()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, Self.isRunning(pid) { usleep(20_000) }
        let stillRunning = Self.isRunning(pid)
        if stillRunning { Glibc.kill(pid, SIGKILL) }
        #expect(!stillRunning, "the stepper kept running after its terminal closed")
    }

    /// Signals its parent had blocked (a mask survives exec) still reach the stepper: SIGTERM
    /// used to stay pending, and `kill` did nothing.
    @Test(arguments: [SIGTERM, SIGINT])
    func signalsBlockedByTheParentStillEndTheStepper(signal: Int32) throws {
        let blockThenRun = "import os, signal, sys; "
            + "signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP, signal.SIGINT, signal.SIGTERM]); "
            + "os.execv(sys.argv[1], sys.argv[1:])"
        let session = try TmuxSession(
            "sh -c 'trap : INT; python3 -c \"\(blockThenRun)\" \(gradflowBinary.path) step Scenes/survey.scene; "
                + "echo \"gradflow exited $?\"; sleep 60'",
            columns: 100, rows: 30)
        try session.waitFor(text: "step 0 of 16", seconds: 30)
        let pid = try #require(try session.childOfShell())
        Glibc.kill(pid, signal)
        try session.waitFor(text: "gradflow exited \(128 + signal)", seconds: 10)
    }

    /// Alive and not a zombie (an orphan is reaped by init, not by us).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !status.contains(") Z ")
    }

    /// A crash (here a SIGSEGV sent from outside, with the runtime's interactive crash report
    /// turned off) still gives the terminal back before the process dies of it.
    @Test func aCrashSignalRestoresTheTerminalBeforeDying() throws {
        let session = try terminal.stepper("Scenes/survey.scene", environment: "SWIFT_BACKTRACE=enable=no")
        try session.waitFor(text: "step 0 of 16")
        let pid = try #require(try session.childOfShell())
        Glibc.kill(pid, SIGSEGV)
        try terminal.expectRestored(session, status: 128 + Int(SIGSEGV))
    }
}

/// `step --phase forward --step 9223372036854775807` trapped on "arithmetic overflow" (and the
/// crash report then held the terminal 30 s): every start step is checked before any sum.
@Suite struct StartStepOverflowTests {
    @Test(arguments: [WalkChoice.Phase.forward, .backward, .seed, .end])
    func theLargestStepIsAnErrorInEveryPhase(phase: WalkChoice.Phase) {
        #expect(throws: WalkError.self) {
            _ = try StepperModel(graph: Fixtures.survey, fileName: "survey.scene",
                                 options: StepperOptions(step: Int.max, phase: phase))
        }
    }
}

/// The find prompt with a long paste: it shows the end of what is typed (where the cursor is),
/// not the start.
@Suite struct FindPromptTests {
    @Test func aLongQueryShowsItsEnd() {
        var model = try! StepperModel(graph: Fixtures.survey, fileName: "survey.scene", columns: 100, rows: 30)
        model = update(model, .find)
        let typed = (0..<2_000).map { index in Character(String(index % 10)) } + Array("END")
        for character in typed { model = update(model, .type(character)) }
        let grid = StepperView.withLayeredLayout().render(model).grid
        let prompt = grid.line(grid.rows - 1)
        #expect(prompt.contains("find a node: …"), "\(prompt)")
        #expect(prompt.contains("789END█"), "\(prompt)")
    }
}
