import Glibc
import Synchronization

/// The last terminating signal received, or 0.
///
/// The handler only records the signal (an atomic store is async-signal-safe); the driver's
/// loop, which never waits more than ``StepperApp/pollMilliseconds`` for a key, sees it, restores
/// the terminal through ncurses and exits 128 + signal.
private let receivedSignal = Atomic<Int32>(0)

/// What the handlers need to put the terminal back without ncurses, prepared before they can
/// run: the terminal's modes as they were before the stepper, and the bytes that leave the
/// alternate screen, show the cursor and stop mouse reports. Written once before the handlers
/// that read it are installed; read only inside them.
/// (Raw memory rather than Swift variables: a handler must not meet exclusivity checks.)
private nonisolated(unsafe) let savedModes = UnsafeMutablePointer<termios>.allocate(capacity: 1)
private nonisolated(unsafe) var hasSavedModes = false
private nonisolated(unsafe) var restoreBytes: UnsafeMutableBufferPointer<UInt8>?
/// The handlers the crash signals had before (the Swift runtime's backtracer), to pass them on.
private nonisolated(unsafe) let previousCrashActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

enum Signals {
    /// Every catchable signal whose default action ends the process without a core dump, and
    /// SIGQUIT (Ctrl-\), which the Swift runtime would turn into a crash report over the screen:
    /// after each, the terminal is restored and the stepper leaves with 128 + the signal.
    /// (SIGTSTP and SIGCONT stay with ncurses, which suspends and resumes the screen.)
    static let terminating: [Int32] = [
        SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF,
        SIGXCPU, SIGXFSZ, SIGIO, SIGPWR, SIGSTKFLT,
    ]

    /// Signals of a crash: the terminal is put back at once (from the handler), then the
    /// previous handler reports the crash as it would have.
    static let crashing: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS]

    /// Installs the recording handler for ``terminating``. Installed before `newterm`, so that
    /// ncurses, which only replaces handlers still at their defaults, leaves these alone.
    ///
    /// No `SA_RESTART`: a blocking read is interrupted, so the loop notices at once. A second
    /// terminating signal before the loop has acted (it never should) restores the terminal
    /// from the handler and exits there.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            if receivedSignal.exchange(signal, ordering: .relaxed) != 0 {
                restoreTerminalFromHandler()
                _exit(128 + signal)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        // A blocked mask survives exec: started by a parent that blocks them (found: steppers
        // launched by the test runner through tmux), SIGTERM and SIGHUP stayed pending forever
        // and the stepper could only be killed. The stepper handles them, so it takes them.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signal in terminating {
            sigaction(signal, &action, nil)
            sigaddset(&handled, signal)
        }
        // Likewise the signals ncurses handles: with SIGTSTP blocked (the test runner blocks it,
        // and tmux and the shell pass the mask on), Ctrl-Z did nothing at all.
        for signal in [SIGTSTP, SIGCONT, SIGWINCH] { sigaddset(&handled, signal) }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
    }

    /// Records how to put the terminal back from a signal handler, and installs the crash
    /// handlers. Call after ncurses has taken the terminal, with the modes from before.
    static func prepareEmergencyRestore(modes: termios?, bytes: [UInt8]) {
        if let modes {
            savedModes.pointee = modes
            hasSavedModes = true
        }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        restoreBytes = buffer
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { signal, _, _ in
            restoreTerminalFromHandler()
            // Hand the signal to whoever had it (the runtime's crash report, or the default
            // action): raised again, it is delivered to that handler as this one returns.
            sigaction(signal, previousCrashActions + Int(signal), nil)
            raise(signal)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        for signal in crashing { sigaction(signal, &action, previousCrashActions + Int(signal)) }
    }

    /// Puts the default handlers back (and the crash handlers as they were).
    static func restoreDefaults() {
        for signal in terminating { Glibc.signal(signal, SIG_DFL) }
        if restoreBytes != nil {
            for signal in crashing { sigaction(signal, previousCrashActions + Int(signal), nil) }
        }
    }

    /// The signal received since the start, if any.
    static var received: Int32? {
        let signal = receivedSignal.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }
}

/// Only async-signal-safe calls: the saved terminal modes back, and the prepared bytes written.
private func restoreTerminalFromHandler() {
    if hasSavedModes { _ = tcsetattr(STDIN_FILENO, TCSANOW, savedModes) }
    if let restoreBytes, let base = restoreBytes.baseAddress {
        _ = write(STDOUT_FILENO, base, restoreBytes.count)
    }
}
