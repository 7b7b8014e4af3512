import Foundation
import Glibc
import TestSupport

/// A detached tmux session running one command, driven like a user at a terminal: keys in,
/// screen text out. Waits poll the screen until a condition holds, up to a deadline.
///
/// Each session runs on a tmux server of its own (`-L`), so tests never touch anyone else's.
final class TmuxSession {
    let name: String
    private let socket: String

    /// Whether tmux can be run here.
    static var isAvailable: Bool { (try? run(["-V"], socket: nil))?.status == 0 }

    /// Starts `command` (a shell command line, run in the repository) in a `columns`×`rows` pane.
    init(_ command: String, columns: Int, rows: Int) throws {
        name = "gradflow-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        socket = name
        let started = try run(["new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)",
                                    "-c", repositoryRoot.path, "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 " + command])
        guard started.status == 0 else { throw TmuxError(message: "tmux new-session failed: \(started.output)") }
        serverPID = (try? run(["display-message", "-p", "#{pid}"]))
            .flatMap { pid_t($0.output.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The tmux server's process, ended in `deinit` even when `kill-server` cannot reach it:
    /// otherwise it and a stepper that never quits (`--step 14` under a C locale) outlive the tests.
    private(set) var serverPID: pid_t?

    /// Where tmux keeps the server's socket.
    var socketPath: String { "/tmp/tmux-\(getuid())/\(socket)" }

    deinit { end() }

    /// Ends the server, as closing the terminal window would (idempotent).
    func end() {
        _ = try? run(["kill-server"])
        // Seen on this machine: the socket gone, kill-server failing, and SIGTERM not ending the
        // server. Only our own server (its command line names the session) is killed.
        if let serverPID, serverPID > 1,
           let commandLine = try? String(contentsOfFile: "/proc/\(serverPID)/cmdline", encoding: .utf8),
           commandLine.contains(name) {
            kill(serverPID, SIGKILL)
        }
        // tmux leaves the socket file of a killed server behind.
        unlink(socketPath)
    }

    /// Sends keys as tmux names them (`q`, `Right`, `Home`, `C-c`).
    func send(_ keys: String...) throws {
        _ = try run(["send-keys", "-t", name] + keys)
    }

    /// Resizes the window, as a user dragging the terminal's corner.
    func resize(columns: Int, rows: Int) throws {
        _ = try run(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The process the pane's shell is running (found by its parent's id, never by name).
    func childOfShell() throws -> pid_t? {
        let shell = try run(["display-message", "-p", "-t", name, "#{pane_pid}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// The visible screen, one line per row.
    func screen() throws -> String { try run(["capture-pane", "-p", "-t", name]).output }

    /// Polls the screen until `condition` holds; returns that screen, or throws with the last
    /// screen seen once `seconds` have passed.
    @discardableResult
    func waitFor(_ what: String, seconds: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(30_000)
        }
        throw TmuxError(message: "timed out waiting for \(what); the screen was:\n\(last)")
    }

    /// Polls until the screen shows `text`.
    @discardableResult
    func waitFor(text: String, seconds: Double = 10) throws -> String {
        try waitFor("'\(text)'", seconds: seconds) { $0.contains(text) }
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(arguments, socket: socket)
    }

    /// Runs tmux and returns its status and output.
    ///
    /// Spawned and reaped directly, with the output going to a file: the server that
    /// `new-session` starts inherits the client's descriptors, and Foundation's `Process`
    /// then never sees the client end.
    @discardableResult
    private static func run(_ arguments: [String], socket: String?) throws -> (status: Int32, output: String) {
        let path = Scratch.root.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["tmux"] + (socket.map { ["-L", $0] } ?? []) + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TmuxError(message: "cannot run tmux: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
