import Foundation

/// Runs `gradflow ARGUMENTS` under strace with one system call held back (`inject=SYSCALL:
/// delay_enter=…`), waits until `isReady()` says the run has reached the moment to interrupt
/// (a temporary file has appeared), sends `signal` to gradflow itself and waits for the end.
///
/// The run is spawned with no signal blocked and `signal` at its default action: the test
/// runner's threads block some signals, and a child inherits that mask, which would hold the
/// signal back until after the write. Returns false when the moment never came within 30 s
/// (then everything started has been killed).
public func signalDuringRun(
    _ arguments: [String], holding syscall: String, signal: Int32 = SIGTERM,
    environment: [String: String] = [:], isReady: () -> Bool
) -> Bool {
    let strace = ["strace", "-f", "-o", "/dev/null", "-e", "trace=\(syscall)", "-e", "inject=\(syscall):delay_enter=3000000"]
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, signal)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var cArguments = (strace + [gradflowBinary.path] + arguments).map { strdup($0) } + [nil]
    defer { for argument in cArguments { free(argument) } }
    let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    var cEnvironment = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for variable in cEnvironment { free(variable) } }
    // Its output (a chart drawn in the terminal) goes nowhere.
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
    }
    var tracer = pid_t()
    guard posix_spawn(&tracer, "/usr/bin/strace", &actions, &attributes, &cArguments, &cEnvironment) == 0 else { return false }
    // Wait for the moment, then for gradflow (strace's child) to be known.
    let deadline = Date().addingTimeInterval(30)
    var child: pid_t?
    while Date() < deadline {
        if isReady() {
            let children = (try? String(contentsOfFile: "/proc/\(tracer)/task/\(tracer)/children", encoding: .utf8)) ?? ""
            child = children.split(separator: " ").first.flatMap { pid_t($0) }
            if child != nil { break }
        }
        usleep(20_000)
    }
    if let child { kill(child, signal) } else { kill(tracer, SIGKILL) }
    var status: Int32 = 0
    while waitpid(tracer, &status, 0) == -1 && errno == EINTR {}
    return child != nil
}
