import CNcursesw
import Foundation
import GradFlow

/// The thin driver: reads keys from the terminal, feeds them to ``update(_:_:)`` and copies
/// each frame of ``StepperView`` to the screen, until `q`, Ctrl-C or a terminating signal.
public enum StepperApp {
    /// What the locale allows: Unicode when its character set is UTF-8, else ASCII.
    ///
    /// Calls `setlocale(LC_ALL, "")`, which must precede everything else ncurses does: without
    /// it, ncursesw treats every byte above 127 as a separate character.
    public static func adoptLocale() -> Charset {
        setlocale(LC_ALL, "")
        let codeset = String(cString: gf_codeset()).uppercased()
        return codeset == "UTF-8" || codeset == "UTF8" ? .unicode : .ascii
    }

    /// Throws ``TerminalUnavailable`` unless stdin and stdout are terminals and `TERM` names one
    /// that can draw a screen. Cheap: callers check before loading a large scene.
    public static func checkTerminal(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalUnavailable(reason: "stdin and stdout must both be a terminal")
        }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb", term != "unknown" else {
            throw TerminalUnavailable(reason: "TERM is \(environment["TERM"].map { "'\($0)'" } ?? "not set"), which cannot draw a screen")
        }
    }

    /// Runs the stepper on `graph` in this terminal and returns the exit status: 0 after `q`,
    /// 128 + the signal after SIGINT, SIGTERM or SIGHUP. The terminal is restored on every path.
    ///
    /// - Throws: ``TerminalUnavailable`` at once when stdin or stdout is not a terminal or
    ///   `TERM` is unusable; ``StepperSetupError`` when the options do not fit the graph.
    ///
    /// With a `training` session (a scene with a `train` block), a strip under the panes shows
    /// the loss curve with the shown step marked, and `<` `>` `{` `}` move between steps' graphs.
    public static func run(graph: Graph, fileName: String, options: StepperOptions, training: TrainingSession? = nil,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int32 {
        let charset = adoptLocale()
        // Validate the options before taking the screen, so their errors print normally.
        var model = try StepperModel(graph: graph, fileName: fileName, options: options, charset: charset)
        Signals.install()
        defer { Signals.restoreDefaults() }
        let terminal = try Terminal(theme: options.theme, environment: environment)
        defer { terminal.close() }

        let view = StepperView()
        var size = terminal.size
        var strip = TrainingStrip(session: training)
        model = update(model, .resize(columns: size.columns, rows: strip.paneRows(size.rows)))
        var frame = view.render(model)
        terminal.draw(strip.composed(frame.grid, screenRows: size.rows))
        while !model.shouldQuit {
            if let signal = Signals.received { return 128 + signal }
            // While playing, a read that times out is the next tick; otherwise a quarter
            // second bounds how long a signal can go unnoticed.
            let timeout = model.isPlaying ? Int32(1000 / model.speed) : 250
            let message: Message?
            switch terminal.read(timeout: timeout) {
            case .timeout:
                message = model.isPlaying ? .tick : nil
            case .resize:
                size = terminal.size
                terminal.invalidate()
                message = .resize(columns: size.columns, rows: strip.paneRows(size.rows))
            case .key(let key):
                if model.overlay == nil, let moved = strip.move(for: key, from: model, fileName: fileName, options: options,
                                                                 charset: charset, columns: size.columns,
                                                                 rows: strip.paneRows(size.rows)) {
                    model = moved
                    message = nil
                    frame = view.render(model)
                    terminal.draw(strip.composed(frame.grid, screenRows: size.rows))
                } else {
                    message = KeyMap.message(for: key, model: model, frame: frame)
                }
            }
            guard let message else { continue }
            model = update(model, message)
            if model.shouldQuit { break }
            frame = view.render(model)
            terminal.draw(strip.composed(frame.grid, screenRows: size.rows))
        }
        if let signal = Signals.received { return 128 + signal }
        return 0
    }
}
