import GradFlow
import Notation

/// The next model after `message`: the stepper's only state transition.
///
/// Pure: it reads nothing but its arguments and changes nothing else, so every key's effect is
/// tested by calling it. Stepping back restores exactly the state before (the state of a step is
/// read from the timeline, never accumulated here).
public func update(_ model: StepperModel, _ message: Message) -> StepperModel {
    var next = model
    next.handle(message)
    // New content in the step pane starts at its top.
    if next.step != model.step || next.inspected != model.inspected || next.elementWalk != model.elementWalk
        || next.timeline.mode != model.timeline.mode {
        next.inspectorPage = 0
    }
    return next
}

extension StepperModel {
    /// Columns and rows one pan key moves the graph.
    static let panColumns = 6
    static let panRows = 2

    mutating func handle(_ message: Message) {
        // A message shown after the last key goes away with the next one (ticks and the
        // terminal's size, which the driver sends first of all, are not keys).
        switch message {
        case .tick, .resize: break
        default: self.message = nil
        }
        if let overlay, handleOverlay(overlay, message) { return }
        if elementWalk != nil, handleElementWalk(message) { return }
        switch message {
        case .next: go(to: step + 1)
        case .back: go(to: step - 1)
        case .first: go(to: 0)
        case .last: go(to: timeline.count)
        case .goTo(let target): go(to: target)
        case .nextPhase:
            go(to: timeline.phaseBoundaries().first { $0 > step } ?? timeline.count)
        case .previousPhase:
            go(to: timeline.phaseBoundaries().last { $0 < step } ?? 0)
        case .togglePlay:
            if !isPlaying && isAtEnd { go(to: 0) }
            isPlaying.toggle()
        case .faster: speedIndex = min(speedIndex + 1, Self.speeds.count - 1)
        case .slower: speedIndex = max(speedIndex - 1, 0)
        case .tick:
            guard isPlaying else { return }
            go(to: step + 1, stopsPlaying: false)
            if isAtEnd { isPlaying = false }
        case .focusNext: focus = Focus.allCases[(focusIndex + 1) % Focus.allCases.count]
        case .focusPrevious:
            focus = Focus.allCases[(focusIndex + Focus.allCases.count - 1) % Focus.allCases.count]
        case .pan(let direction): pan(direction)
        case .page(let direction): scrollTrace(by: (direction == .up ? -1 : 1) * max(1, rows / 3))
        case .fit: camera = Camera()
        case .setZoom(let zoom): camera.zoom = zoom
        case .moreDigits: precision = Self.morePrecise(than: precision)
        case .moreInspector: inspectorPage += 1
        case .toggleMode:
            if differentiation == .reverse {
                guard !inputs.isEmpty else { self.message = "forward mode needs an input; this graph has none"; return }
                switchTo(.forward)
            } else {
                switchTo(.reverse)
            }
        case .chooseOutput:
            overlay = .chooser(Chooser(purpose: .output, entries: outputs.map(\.name), selected: outputIndex))
        case .chooseInput:
            guard !inputs.isEmpty else { self.message = "this graph has no inputs to seed"; return }
            overlay = .chooser(Chooser(purpose: .input, entries: inputs.map(graph.label(of:)), selected: inputIndex))
        case .toggleFold: toggleFold()
        case .toggleElements: toggleElements()
        case .find: overlay = .find(query: "")
        case .trainingStep: break
        case .inspect(let node):
            guard graph.nodes.contains(node) else { return }
            inspected = node
            traceTop = nil
        case .showHelp: overlay = .help
        case .type, .deleteBackward, .confirm: break
        case .cancel: inspected = nil
        case .resize(let columns, let rows):
            self.columns = max(0, columns)
            self.rows = max(0, rows)
        case .quit: shouldQuit = true
        }
    }

    private var focusIndex: Int { Focus.allCases.firstIndex(of: focus) ?? 0 }

    /// Moves to `target` (clamped); a move by hand stops playing and ends any inspection.
    private mutating func go(to target: Int, stopsPlaying: Bool = true) {
        step = min(max(target, 0), timeline.count)
        inspected = nil
        elementWalk = nil
        traceTop = nil
        if stopsPlaying { isPlaying = false }
    }

    private mutating func pan(_ direction: Direction) {
        switch focus {
        case .steps, .trace:
            scrollTrace(by: direction == .up ? -1 : direction == .down ? 1 : 0)
            if direction == .left { go(to: step - 1) }
            if direction == .right { go(to: step + 1) }
        case .graph:
            switch direction {
            case .left: camera.columnOffset -= Self.panColumns
            case .right: camera.columnOffset += Self.panColumns
            case .up: camera.rowOffset -= Self.panRows
            case .down: camera.rowOffset += Self.panRows
            }
        }
    }

    /// Scrolls the trace by `rows`, starting from where it follows the current row.
    private mutating func scrollTrace(by rows: Int) {
        guard rows != 0 else { return }
        let start = traceTop ?? max(0, (focusNode ?? 0) - 2)
        traceTop = min(max(0, start + rows), max(0, graph.count - 1))
    }

    /// The next precision that `d` offers: 4, 6, 10 significant digits, then every digit.
    static func morePrecise(than format: NumberFormat) -> NumberFormat {
        switch format {
        case .significant(let digits) where digits < 6: .significant(6)
        case .significant(let digits) where digits < 10: .significant(10)
        case .significant: .shortest
        case .shortest: .significant(4)
        }
    }

    /// Rebuilds the timeline for a new mode, output or input, keeping the step where it can.
    private mutating func switchTo(_ differentiation: Differentiation) {
        self.differentiation = differentiation
        let mode: Timeline.Mode = differentiation == .forward
            ? .forward(input: inputs[inputIndex]) : .reverse(output: outputs[outputIndex].node)
        guard mode != timeline.mode else { return }
        timeline = Timeline(graph: timeline.graph, mode: mode)
        step = min(step, timeline.count)
        inspected = nil
        elementWalk = nil
        isPlaying = false
    }

    /// The keys that walk an opened tensor step: → ← (and space, Backspace, the play timer)
    /// move by one element, Esc closes it; false lets every other message through (a step key
    /// then closes it).
    private mutating func handleElementWalk(_ message: Message) -> Bool {
        switch message {
        case .next: return moveElement(by: 1)
        case .back: return moveElement(by: -1)
        case .pan(.right) where focus != .graph: return moveElement(by: 1)
        case .pan(.left) where focus != .graph: return moveElement(by: -1)
        case .tick:
            guard isPlaying else { return true }
            _ = moveElement(by: 1)
            if isAtEnd { isPlaying = false }
            return true
        case .cancel:
            elementWalk = nil
            return true
        default: return false
        }
    }

    // MARK: Overlays

    /// Handles `message` for the open overlay; false lets it through (resize, quit, ticks).
    private mutating func handleOverlay(_ overlay: Overlay, _ message: Message) -> Bool {
        switch message {
        case .resize, .tick, .quit: return false
        default: break
        }
        switch overlay {
        case .help:
            self.overlay = nil
        case .find(let query):
            switch message {
            case .type(let character): self.overlay = .find(query: query + String(character))
            case .deleteBackward: self.overlay = .find(query: String(query.dropLast()))
            case .confirm:
                self.overlay = nil
                find(query)
            case .cancel: self.overlay = nil
            default: break
            }
        case .chooser(var chooser):
            switch message {
            case .pan(.up), .back: chooser.selected = max(0, chooser.selected - 1)
            case .pan(.down), .next: chooser.selected = min(chooser.entries.count - 1, chooser.selected + 1)
            case .confirm:
                self.overlay = nil
                choose(chooser)
                return true
            case .cancel:
                self.overlay = nil
                return true
            default: break
            }
            self.overlay = .chooser(chooser)
        }
        return true
    }

    private mutating func choose(_ chooser: Chooser) {
        switch chooser.purpose {
        case .output:
            outputIndex = chooser.selected
            // Force a rebuild even when already in reverse mode on another output.
            differentiation = .forward
            switchTo(.reverse)
        case .input:
            inputIndex = chooser.selected
            differentiation = .reverse
            switchTo(.forward)
        }
    }

    /// Inspects the node whose name matches `query`: exactly, else by prefix, else containing it
    /// (case-insensitively last). O(nodes).
    private mutating func find(_ query: String) {
        guard !query.isEmpty else { return }
        let graph = self.graph
        let lowered = query.lowercased()
        let tests: [(String) -> Bool] = [
            { $0 == query }, { $0.hasPrefix(query) }, { $0.contains(query) }, { $0.lowercased().contains(lowered) },
        ]
        for test in tests {
            if let node = graph.nodes.first(where: { test(graph.label(of: $0)) }) {
                inspected = node
                traceTop = nil
                camera.columnOffset = 0
                camera.rowOffset = 0
                return
            }
        }
        message = "no node is named like '\(query)'"
    }
}
