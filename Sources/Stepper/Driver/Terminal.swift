import CNcursesw
import Glibc

/// Why the stepper cannot take over the terminal.
public struct TerminalUnavailable: Error, Sendable, CustomStringConvertible {
    public let reason: String

    public var description: String {
        "\(reason). 'gradflow step' is interactive; for text use 'gradflow trace FILE', "
            + "for pictures 'gradflow export FILE -o graph.svg'"
    }
}

/// What reading the keyboard can return.
enum TerminalEvent: Equatable {
    case key(Key)
    case resize
    /// Nothing within the timeout, or a read interrupted by a signal.
    case timeout
    /// The terminal is gone (its input hung up): nobody can see or type any more.
    case hangUp
}

/// The only code that calls ncurses: opens the screen, copies cell grids onto it, reads keys,
/// and restores the terminal.
final class Terminal {
    private let screen: OpaquePointer
    private var theme: Theme
    /// What is on screen now, so that a frame only sends the cells that changed.
    private var shown: CellGrid?
    private(set) var isOpen = true

    /// Takes over the terminal, or explains why it cannot.
    init(theme requested: ThemeName, environment: [String: String]) throws {
        // Checks before touching ncurses; `newterm` returns nil for an unknown terminal where
        // `initscr` would print and exit.
        try StepperApp.checkTerminal(environment: environment)
        let term = environment["TERM"] ?? ""
        var modesBefore = termios()
        let hasModesBefore = tcgetattr(STDIN_FILENO, &modesBefore) == 0
        guard let screen = newterm(nil, gf_stdout(), gf_stdin()) else {
            throw TerminalUnavailable(reason: "the terminal type '\(term)' is unknown to ncurses")
        }
        self.screen = screen
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        keypad(gf_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        gf_enable_mouse()
        let hasColors = has_colors()
        var name = Theme.resolve(requested, environment: environment, terminalHasColors: hasColors)
        if name != .mono {
            if start_color() == gf_err() {
                name = .mono
            } else {
                use_default_colors()
            }
        }
        theme = Theme(name, colors: Int(gf_colors()))
        Signals.prepareEmergencyRestore(modes: hasModesBefore ? modesBefore : nil, bytes: Self.restoreSequence())
    }

    /// What ``close()`` sends, for a signal handler that cannot call ncurses: attributes off,
    /// mouse reports off, the cursor shown, the alternate screen left (from terminfo where the
    /// entry has them).
    private static func restoreSequence() -> [UInt8] {
        var bytes = Array("\u{1B}[0m\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l".utf8)
        for capability in ["cnorm", "rmcup"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) != -1 else { continue }
            bytes += Array(String(cString: value).utf8)
        }
        return bytes
    }

    /// Columns and rows.
    var size: (columns: Int, rows: Int) { (Int(gf_columns()), Int(gf_lines())) }

    /// Copies a grid to the screen, sending only the cells that changed since the last one.
    func draw(_ grid: CellGrid) {
        let full = shown.map { $0.columns != grid.columns || $0.rows != grid.rows } ?? true
        if full { erase() }
        var text = [wchar_t](repeating: 0, count: 6)
        for row in 0..<grid.rows {
            for column in 0..<grid.columns {
                let cell = grid[column, row]
                if cell.isContinuation { continue }
                if !full, let shown, shown[column, row] == cell { continue }
                var count = 0
                for scalar in cell.character.unicodeScalars where count < 5 {
                    text[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                text[count] = 0
                _ = gf_put_cell(Int32(row), Int32(column), text, theme.attributes(of: cell.role), theme.pair(of: cell.role))
            }
        }
        shown = grid
        refresh()
    }

    /// Forgets what is on screen so the next frame is drawn whole (after a resize).
    func invalidate() {
        shown = nil
        clearok(gf_stdscr(), true)
    }

    /// Waits up to `milliseconds` (negative: forever) for a key.
    func read(timeout milliseconds: Int32) -> TerminalEvent {
        wtimeout(gf_stdscr(), milliseconds)
        var key: wint_t = 0
        let status = gf_read_key(&key)
        if status == gf_err() { return Self.inputHungUp() ? .hangUp : .timeout }
        if status == gf_key_code_yes() { return functionKey(Int32(bitPattern: key)) }
        guard let scalar = Unicode.Scalar(UInt32(key)) else { return .timeout }
        if scalar == "\u{1B}" { return escapeOrSequence() }
        return KeyDecoding.key(for: scalar).map { .key($0) } ?? .timeout
    }

    /// Whether the keyboard's descriptor reports a hang-up. ncurses answers end of input like a
    /// timeout, so without this a stepper whose terminal closed without delivering SIGHUP
    /// (blocked by whoever started it) polls a dead descriptor forever.
    private static func inputHungUp() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) == 1 else { return false }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// After an Esc: a lone Esc if nothing follows at once, else the rest of a sequence that
    /// ncurses did not recognise, read here and decoded by ``EscapeSequence`` (or dropped).
    private func escapeOrSequence() -> TerminalEvent {
        // Only what has already arrived: a person cannot type a second key within ESCDELAY.
        wtimeout(gf_stdscr(), 0)
        var key: wint_t = 0
        var following = ""
        while following.unicodeScalars.count < EscapeSequence.maximumLength,
              gf_read_key(&key) == gf_ok(), let scalar = Unicode.Scalar(UInt32(key)) {
            following.unicodeScalars.append(scalar)
            let count = following.unicodeScalars.count
            let complete = following.hasPrefix("[") ? count > 1 && EscapeSequence.endsControlSequence(scalar)
                : following.hasPrefix("O") ? count == 2 : true
            if complete { break }
        }
        if following.isEmpty { return .key(.escape) }
        return EscapeSequence.key(after: following).map { .key($0) } ?? .timeout
    }

    private func functionKey(_ code: Int32) -> TerminalEvent {
        switch code {
        case gf_key_up(): return .key(.up)
        case gf_key_down(): return .key(.down)
        case gf_key_left(): return .key(.left)
        case gf_key_right(): return .key(.right)
        case gf_key_home(): return .key(.home)
        case gf_key_end(): return .key(.end)
        case gf_key_page_up(): return .key(.pageUp)
        case gf_key_page_down(): return .key(.pageDown)
        case gf_key_backspace(): return .key(.backspace)
        case gf_key_back_tab(): return .key(.backTab)
        case gf_key_enter(): return .key(.enter)
        case gf_key_resize(): return .resize
        case gf_key_mouse():
            var row: Int32 = 0, column: Int32 = 0
            return gf_left_click(&row, &column) == 1 ? .key(.click(column: Int(column), row: Int(row))) : .timeout
        default: return .timeout
        }
    }

    /// Gives the terminal back as it was: cursor, echo, line mode, the main screen. Idempotent.
    func close() {
        guard isOpen else { return }
        isOpen = false
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    deinit { close() }
}
