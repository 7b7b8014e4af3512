import Glibc
import Synchronization

/// The last terminating signal received (SIGINT, SIGTERM, SIGHUP), or 0.
///
/// The handler only records the signal (an atomic store is async-signal-safe); the driver's
/// loop sees it within one read timeout, restores the terminal and exits 128 + signal.
private let receivedSignal = Atomic<Int32>(0)

enum Signals {
    /// The signals after which the terminal is restored before leaving.
    static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the recording handler. Installed before `newterm`, so that ncurses, which only
    /// replaces handlers still at their defaults, leaves these alone.
    ///
    /// No `SA_RESTART`: a blocking read is interrupted, so the loop notices at once.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in receivedSignal.store(signal, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for signal in terminating { sigaction(signal, &action, nil) }
    }

    /// Puts the default handlers back.
    static func restoreDefaults() {
        for signal in terminating { Glibc.signal(signal, SIG_DFL) }
    }

    /// The signal received since the start, if any.
    static var received: Int32? {
        let signal = receivedSignal.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }
}
