// The libFuzzer entry point over a hostile terminal and failing output descriptors: the input's
// bytes are what a terminal would send the stepper (keys, escape sequences, clicks anywhere,
// resizes down to 0×0 and up to 255×255), decoded as the driver decodes them, turned into
// messages by the key map, applied by `update` and drawn by the view into the cell grid (the
// plain layered layout: no Graphviz, no ncurses) once per batch of messages, as the driver
// draws on its own thread while keys go on arriving (byte 0xFB ends a batch). Byte 0xF2 writes
// the frame on screen through the exporter's file writer to descriptors that fail: /dev/full, a
// pipe whose reader has gone, a closed descriptor. Nothing may crash, draw outside the grid, or
// claim a failed write worked.
//
// Built only by Fuzz/build.sh (libFuzzer supplies `main`), never by `swift build`.

import Glibc
import GradFlow
@testable import GraphExport
@testable import SceneLanguage
@testable import Stepper

/// A few graphs of different shapes: the survey, a loop of groups to fold, a wide sum (24
/// operands into one box; 40 made each new layout twice as dear under instrumentation).
let graphs: [Graph] = [
    """
    title "f(x1, x2) = ln(x1) + x1*x2 - sin(x2)"
    input x1 = 2
    input x2 = 5
    v1 = ln(x1)   # the log
    v2 = x1 * x2
    v3 = sin(x2)
    f = v1 + v2 - v3
    output f
    """,
    """
    input x = 0.5
    input w = -1.5
    fn layer(a) = tanh(a * w + x)
    h = x
    repeat 12 { h = layer(h) }
    output h
    """,
    """
    input x = 1
    \((0..<24).map { "v\($0) = x * \($0 + 1)" }.joined(separator: "\n"))
    s = sum(\((0..<24).map { "v\($0)" }.joined(separator: ", ")))
    output s
    """,
].map { text in
    do { return try Scene.parse(source: text, fileName: "fuzz.scene", limits: .standard).graph } catch {
        fatalError("a fuzz scene does not trace: \(error)")
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    // As under a caller that ignores SIGPIPE: a write to a pipe without reader fails with EPIPE.
    signal(SIGPIPE, SIG_IGN)
    installCPUBudget()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    withinCPUBudget { fuzzTerminal(data, size) }
}

/// One view per graph, kept from input to input as the stepper keeps it for a session: a view
/// remembers the layouts of the windows it drew (at most 40), and a layout is what a frame
/// costs (the untangler takes most of a second for the 40-wide sum under instrumentation),
/// while a message costs microseconds. A layout is a function of its key, so an input that
/// crashes in one crashes again when replayed alone; what it does not repeat is the coverage of
/// making a layout the view already had.
nonisolated(unsafe) let views = graphs.map { _ in StepperView.withLayeredLayout() }

/// Frames drawn for one input at most, besides the last.
let drawsPerInput = 6

func fuzzTerminal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let graph = graphs[Int(first) % graphs.count], view = views[Int(first) % graphs.count]
    guard var model = try? StepperModel(graph: graph, fileName: "fuzz.scene", columns: 100, rows: 30,
                                        charset: first & 0x80 == 0 ? .unicode : .ascii) else { return 0 }
    // As in the driver, keys and clicks are read against the last frame that finished drawing,
    // which may be older than the model (or absent, before the first frame): a batch of messages
    // is applied, then one frame is drawn (byte 0xFB, before 0xF2 writes the screen, and after
    // the last message), and every frame drawn is checked.
    var frame: Frame?
    var draws = 0, stale = true
    func draw() {
        let drawn = view.render(model)
        check(drawn, model)
        frame = drawn
        draws += 1
        stale = false
    }
    var index = 1, events = 0
    func next() -> UInt8 {
        defer { index += 1 }
        return index < bytes.count ? bytes[index] : 0
    }
    while index < bytes.count, events < 300 {
        events += 1
        let byte = next()
        var message: Message?
        switch byte {
        case 0xF0:
            message = .resize(columns: Int(next()), rows: Int(next()))
        case 0xF1:
            message = KeyMap.message(for: .click(column: Int(next()), row: Int(next())), model: model, frame: frame)
        case 0xF2:
            if stale || frame == nil { draw() }
            if let frame { writeToFailingDescriptors((0..<frame.grid.rows).map { frame.grid.line($0) }.joined(separator: "\n")) }
        case 0xFB:
            if stale, draws < drawsPerInput { draw() }
        case 0xF3...0xFA:
            let keys: [Key] = [.up, .down, .left, .right, .home, .end, .pageUp, .pageDown]
            message = KeyMap.message(for: keys[Int(byte - 0xF3)], model: model, frame: frame)
        case 0x1B:
            // What follows an Esc, read as the driver reads what ncurses did not decode.
            var following = ""
            while index < bytes.count, following.unicodeScalars.count < EscapeSequence.maximumLength {
                let scalar = Unicode.Scalar(next())
                following.unicodeScalars.append(scalar)
                let count = following.unicodeScalars.count
                let complete = following.hasPrefix("[") ? count > 1 && EscapeSequence.endsControlSequence(scalar)
                    : following.hasPrefix("O") ? count == 2 : true
                if complete { break }
            }
            let key = following.isEmpty ? Key.escape : EscapeSequence.key(after: following)
            message = key.flatMap { KeyMap.message(for: $0, model: model, frame: frame) }
        default:
            message = KeyDecoding.key(for: Unicode.Scalar(byte)).flatMap { KeyMap.message(for: $0, model: model, frame: frame) }
        }
        guard let message else { continue }
        model = update(model, message)
        stale = true
        if model.shouldQuit { break }
    }
    // The screen the batch ends on, always.
    if stale { draw() }
    return 0
}

/// What every frame must satisfy, whatever the terminal sent.
func check(_ frame: Frame, _ model: StepperModel) {
    precondition(frame.grid.columns == model.columns && frame.grid.rows == model.rows, "a frame of the wrong size")
    for hit in frame.hits {
        precondition(hit.rect.column >= 0 && hit.rect.row >= 0 && hit.rect.right <= frame.grid.columns
                     && hit.rect.bottom <= frame.grid.rows, "a click region outside the screen: \(hit.rect)")
        precondition(model.graph.nodes.contains(hit.node), "a click region for a node that does not exist")
    }
}

/// The exporter's writer against descriptors that fail: each write must throw, none may trap.
func writeToFailingDescriptors(_ text: String) {
    if (try? AtomicFile.write(text + "\n", to: "/dev/full")) != nil { preconditionFailure("a write to /dev/full succeeded") }
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return }
    close(ends[0])
    if (try? AtomicFile.write(text + "\n", to: "/dev/fd/\(ends[1])")) != nil { preconditionFailure("a write to a pipe without reader succeeded") }
    close(ends[1])
    if (try? AtomicFile.write(Array((text + "\n").utf8), to: "/proc/self/fd/\(ends[1])")) != nil {
        preconditionFailure("a write to a closed descriptor succeeded")
    }
}
