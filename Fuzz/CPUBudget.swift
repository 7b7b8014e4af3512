// A per-input limit on CPU time, for both fuzz targets (compiled into each by Fuzz/build.sh).
//
// libFuzzer's own `-timeout` counts wall-clock seconds, so on a machine shared with other
// builds it cannot tell a hang from a slow turn of the scheduler: at a load of 18 on two
// cores, an input that takes 3.5 s of CPU took 68 s of wall clock and stopped a run. This
// budget counts the CPU time the process itself used (ITIMER_PROF: user and system, all
// threads), so it means the same on a quiet and on a loaded machine. An input that spends more
// than `FUZZ_CPU_SECONDS` (default 30) ends in abort(), which libFuzzer reports as a crash with
// the input saved; `-timeout` stays as a generous wall-clock backstop for an input that blocks.

import Glibc

let cpuBudgetSeconds: Int = {
    guard let text = getenv("FUZZ_CPU_SECONDS"), let seconds = Int(String(cString: text)), seconds > 0 else { return 30 }
    return seconds
}()

/// Installs the SIGPROF handler once (from LLVMFuzzerInitialize).
func installCPUBudget() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
        let message: StaticString = "==fuzz== one input used more than its CPU-time budget (FUZZ_CPU_SECONDS): a hang\n"
        _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
        abort()
    }
    sigemptyset(&action.sa_mask)
    sigaction(SIGPROF, &action, nil)
}

/// Runs one input under the budget.
func withinCPUBudget<T>(_ body: () -> T) -> T {
    var armed = itimerval(it_interval: timeval(), it_value: timeval(tv_sec: cpuBudgetSeconds, tv_usec: 0))
    setitimer(__itimer_which_t(ITIMER_PROF.rawValue), &armed, nil)
    defer {
        var disarmed = itimerval()
        setitimer(__itimer_which_t(ITIMER_PROF.rawValue), &disarmed, nil)
    }
    return body()
}
