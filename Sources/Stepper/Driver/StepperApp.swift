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
    /// 128 + the signal after SIGINT, SIGTERM, SIGHUP, SIGQUIT or another that ends a process
    /// (``Signals/terminating``). The terminal is restored on every path but SIGKILL.
    ///
    /// - Throws: ``TerminalUnavailable`` at once when stdin or stdout is not a terminal or
    ///   `TERM` is unusable; ``WalkError`` when the options do not fit the graph.
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

        // Frames are drawn off this thread, and Graphviz gets a time budget: this loop only
        // reads keys, updates the model and copies finished frames to the screen, so `q` and
        // signals are answered within a poll interval whatever a frame costs.
        let layout = BudgetedLayout()
        let renderer = FrameRenderer { StepperView(layout: layout.layout) }
        var size = terminal.size
        var strip = TrainingStrip(session: training)
        model = update(model, .resize(columns: size.columns, rows: strip.paneRows(size.rows)))
        renderer.request(model)
        var frame: Frame?
        var showsBusyNote = false
        var nextTick = Date.distantFuture
        while !model.shouldQuit {
            if let signal = Signals.received { return 128 + signal }
            if layout.takeLateArrival() {
                renderer.discardLayouts()
                renderer.request(model)
            }
            let busy = renderer.busyFor
            if let finished = renderer.takeFrame() {
                frame = finished
                terminal.draw(strip.composed(finished.grid, screenRows: size.rows))
                showsBusyNote = false
            } else if let busy, busy > 0.15, !showsBusyNote {
                // Before the first frame, the note alone: nothing else is on screen yet.
                let note = Self.busyScreen(over: frame, model: model)
                terminal.draw(frame == nil ? note : strip.composed(note, screenRows: size.rows))
                showsBusyNote = true
            }
            if model.isPlaying, nextTick == .distantFuture { nextTick = Date().addingTimeInterval(1 / model.speed) }
            if !model.isPlaying { nextTick = .distantFuture }
            // While a frame is being drawn, look for it every few milliseconds (keys still come
            // first: a paste of 20,000 characters never waits for frames, which coalesce).
            let wait = busy == nil ? Double(pollMilliseconds) : 4
            let untilTick = Int32(max(1, min(wait, nextTick.timeIntervalSinceNow * 1000)))
            var message: Message?
            switch terminal.read(timeout: untilTick) {
            case .timeout:
                // Playing waits for each step to be on screen before the next.
                if model.isPlaying, Date() >= nextTick, renderer.busyFor == nil {
                    message = .tick
                    nextTick = Date().addingTimeInterval(1 / model.speed)
                }
            case .hangUp:
                return 128 + SIGHUP
            case .resize:
                size = terminal.size
                terminal.invalidate()
                message = .resize(columns: size.columns, rows: strip.paneRows(size.rows))
            case .key(let key):
                message = KeyMap.message(for: key, model: model, frame: frame)
                // Another training step's graph: a new model, made here where the scene is known.
                if case .trainingStep(let delta)? = message {
                    message = nil
                    if let moved = strip.move(by: delta, from: model, fileName: fileName, options: options,
                                              charset: charset, columns: size.columns, rows: strip.paneRows(size.rows)) {
                        model = moved
                        renderer.request(model)
                    }
                }
            }
            guard let message else { continue }
            model = update(model, message)
            if model.shouldQuit { break }
            renderer.request(model)
        }
        if let signal = Signals.received { return 128 + signal }
        return 0
    }

    /// The longest the loop waits for a key before looking at signals and finished frames.
    static let pollMilliseconds: Int32 = 50

    /// What is on screen while a frame takes long: the last frame with a note on its bottom
    /// line, or, before the first, a screen saying what is happening.
    static func busyScreen(over frame: Frame?, model: StepperModel) -> CellGrid {
        let note = " laying out the graph… (q quits) "
        guard let frame, frame.grid.columns == model.columns, frame.grid.rows == model.rows else {
            var grid = CellGrid(columns: model.columns, rows: model.rows, charset: model.charset)
            let width = DisplayWidth.of(grid.charset.transliterate(note))
            _ = grid.write(note, column: max(0, (model.columns - width) / 2), row: model.rows / 2, role: .warning)
            return grid
        }
        var grid = frame.grid
        let width = DisplayWidth.of(grid.charset.transliterate(note))
        _ = grid.write(note, column: max(0, grid.columns - width - 1), row: grid.rows - 1, role: .warning)
        return grid
    }

}
