import Foundation
import Testing
import TestSupport

/// Failed writes to stdout and stderr: one error line where stderr still works and status 2,
/// or a quiet 141 when the reader of a pipe has gone; never a crash (these used to end with
/// SIGILL, status 132, and a backtrace from a `try!` inside Foundation's FileHandle).
@Suite struct StandardStreamFaultTests {
    @Test(arguments: [
        #""$GRADFLOW" grad Scenes/survey.scene > /dev/full"#,
        #""$GRADFLOW" eval x --at x=1 > /dev/full"#,
        #""$GRADFLOW" trace Scenes/survey.scene --format json > /dev/full"#,
        #""$GRADFLOW" check Scenes/survey.scene > /dev/full"#,
    ])
    func aFullStandardOutputIsOneLineAndStatus2(script: String) throws {
        let run = try runGradflowInShell(script)
        #expect(run.status == 2)
        #expect(run.stderr == "gradflow: error: cannot write to standard output: No space left on device\n")
    }

    @Test func aClosedStandardOutputIsOneLineAndStatus2() throws {
        let run = try runGradflowInShell(#""$GRADFLOW" trace Scenes/survey.scene >&-"#)
        #expect(run.status == 2)
        #expect(run.stderr == "gradflow: error: cannot write to standard output: Bad file descriptor\n")
    }

    /// The error message itself cannot be written: the status still says what happened.
    @Test func anErrorToAFullStandardErrorStillExitsWith2() throws {
        let missing = try runGradflowInShell(#""$GRADFLOW" grad no-such.scene 2> /dev/full"#)
        #expect(missing.status == 2)
        let both = try runGradflowInShell(#""$GRADFLOW" grad Scenes/survey.scene > /dev/full 2> /dev/full"#)
        #expect(both.status == 2)
        let closed = try runGradflowInShell(#""$GRADFLOW" grad Scenes/survey.scene >&- 2>&-"#)
        #expect(closed.status == 2)
    }

    /// A warning that cannot be written does not stop the report.
    @Test func aWarningToAFullStandardErrorLeavesTheReport() throws {
        let scene = try temporaryScene("input x = -1\ny = ln(x)\noutput y\n")
        let run = try runGradflowInShell(#""$GRADFLOW" grad "# + scene + " 2> /dev/full")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("y = NaN"), "\(run.stdout)")
    }

    /// `trace … | head -1` with SIGPIPE ignored (as under some CI runners and Python's
    /// subprocess): the reader has gone, which is not an error worth a message.
    @Test(arguments: ["trap '' PIPE; ", ""])
    func aBrokenPipeEndsQuietlyWith141(ignoring: String) throws {
        let scene = try temporaryScene(Self.longChain(nodes: 5_000))
        let run = try runGradflowInShell(ignoring + #""$GRADFLOW" trace "# + scene + #" | head -1; echo "status ${PIPESTATUS[0]}""#)
        #expect(run.stdout == "Forward primal trace\nstatus 141\n")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    /// ArgumentParser prints `--help` through the C library's buffered stdout.
    @Test func helpIntoAFullStandardOutputIsAnError() throws {
        let run = try runGradflowInShell(#""$GRADFLOW" export --help > /dev/full"#)
        #expect(run.status == 2)
        #expect(run.stderr == "gradflow: error: cannot write to standard output: No space left on device\n")
    }

    /// A scene whose trace is far larger than a pipe's buffer.
    static func longChain(nodes: Int) -> String {
        var text = "input x = 1\nv0 = x\n"
        for index in 1..<nodes { text += "v\(index) = v\(index - 1) * 1.0001\n" }
        return text + "output v\(nodes - 1)\n"
    }
}
