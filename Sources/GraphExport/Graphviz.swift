import CGraphviz
import Foundation
import Synchronization

/// A failure inside Graphviz, carrying Graphviz's own messages instead of letting it print them.
public struct GraphvizError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done (`reading DOT`, `layout`, `rendering svg`).
    public var operation: String
    /// Graphviz's messages, one per line, without the `Error:`/`Warning:` prefixes; may be empty.
    public var messages: [String]

    public init(operation: String, messages: [String]) {
        self.operation = operation
        self.messages = messages
    }

    /// One line: `Graphviz failed while <operation>: <first message>`.
    public var description: String {
        let detail = messages.first { !$0.isEmpty } ?? "no message from Graphviz"
        return "Graphviz failed while \(operation): \(detail)"
    }
}

/// The process's one Graphviz context, with every libgvc/libcgraph call serialised behind a lock.
///
/// libgvc keeps global state (the lexer, the error channel, plugin tables) and is not thread-safe,
/// so nothing else in the project calls Graphviz: code that needs it runs inside ``perform(_:)``,
/// which hands it a ``Session`` whose methods are the only Swift wrappers around the C functions.
/// Graphviz's messages go to a handler installed once (`agseterrf`), so they become part of the
/// thrown ``GraphvizError`` and never reach the terminal the stepper is drawing on.
final class Graphviz: Sendable {
    /// The shared context, created on first use (Swift's lazy globals initialise exactly once).
    static let shared = Graphviz()

    /// Guards the context; holding it is what makes a ``Session`` valid.
    private let context: Mutex<ContextHandle>

    private init() {
        // The handler must be in place before gvContext, which may already complain about plugins.
        _ = agseterrf(collectGraphvizMessage)
        context = Mutex(ContextHandle(pointer: gvContext()))
    }

    /// Runs `body` with exclusive use of Graphviz.
    ///
    /// Messages Graphviz emits during `body` are collected; a failing call throws them.
    func perform<Result>(_ body: (Session) throws -> Result) throws -> Result {
        try context.withLock { handle in
            guard let pointer = handle.pointer else {
                throw GraphvizError(operation: "starting Graphviz", messages: ["gvContext returned no context"])
            }
            _ = takeGraphvizMessages()
            let capture = StandardErrorCapture()
            defer { capture.finish() }
            return try body(Session(context: pointer, capture: capture))
        }
    }

    /// What a caller may do while holding the lock. Not escapable in spirit: do not keep it.
    struct Session {
        fileprivate let context: OpaquePointer
        fileprivate let capture: StandardErrorCapture

        /// Parses DOT text into a graph that must be released with ``close(_:)``.
        func readGraph(dot: String) throws -> UnsafeMutablePointer<Agraph_t> {
            let graph = dot.withCString { agmemread($0) }
            guard let graph else { throw failure("reading DOT") }
            return graph
        }

        /// Sets a graph attribute (declaring it if need be), e.g. `dpi` for one render only.
        func setAttribute(_ graph: UnsafeMutablePointer<Agraph_t>, _ name: String, _ value: String) {
            name.withCString { name in
                value.withCString { value in
                    "".withCString { none in
                        // agsafeset copies the strings; it only lacks `const` in its signature.
                        _ = agsafeset(UnsafeMutableRawPointer(graph), UnsafeMutablePointer(mutating: name),
                                      UnsafeMutablePointer(mutating: value), UnsafeMutablePointer(mutating: none))
                    }
                }
            }
        }

        /// Lays out `graph` with `engine` (`dot`, `neato`, …).
        func layout(_ graph: UnsafeMutablePointer<Agraph_t>, engine: String) throws {
            guard gvLayout(context, graph, engine) == 0 else { throw failure("laying out the graph with \(engine)") }
        }

        /// Renders a laid-out graph to memory in one of Graphviz's output formats.
        func render(_ graph: UnsafeMutablePointer<Agraph_t>, format: String) throws -> [UInt8] {
            var data: UnsafeMutablePointer<CChar>?
            var length: UInt32 = 0
            let status = gvRenderData(context, graph, format, &data, &length)
            defer { if let data { gvFreeRenderData(data) } }
            guard status == 0, let data else { throw failure("rendering \(format)") }
            return data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                Array(UnsafeBufferPointer(start: $0, count: Int(length)))
            }
        }

        /// Frees a layout made by ``layout(_:engine:)`` and the graph itself.
        ///
        /// Graphs with clusters keep their layout: Graphviz 2.42's dot layout double-frees
        /// inside `gvFreeLayout` for some of them (a loop of 20 iterations drawn as clusters
        /// aborted the process). The `dot` program never frees a layout before it exits, so
        /// it never meets this; here the cost is the layout's arrays, once per picture.
        func close(_ graph: UnsafeMutablePointer<Agraph_t>, laidOut: Bool) {
            if laidOut && !hasClusters(graph) { _ = gvFreeLayout(context, graph) }
            _ = agclose(graph)
        }

        /// Whether any subgraph of `graph` is a cluster (its name starts with `cluster`).
        private func hasClusters(_ graph: UnsafeMutablePointer<Agraph_t>) -> Bool {
            var subgraph = agfstsubg(graph)
            while let current = subgraph {
                if let name = agnameof(UnsafeMutableRawPointer(current)), String(cString: name).hasPrefix("cluster") {
                    return true
                }
                if hasClusters(current) { return true }
                subgraph = agnxtsubg(current)
            }
            return false
        }

        /// Reads DOT, lays it out and renders it, releasing everything on every path.
        func render(dot: String, engine: String = "dot", format: String,
                    attributes: [(name: String, value: String)] = []) throws -> [UInt8] {
            let graph = try readGraph(dot: dot)
            var laidOut = false
            defer { close(graph, laidOut: laidOut) }
            for attribute in attributes { setAttribute(graph, attribute.name, attribute.value) }
            try checkForErrors("reading DOT")
            try layout(graph, engine: engine)
            laidOut = true
            try checkForErrors("laying out the graph with \(engine)")
            let bytes = try render(graph, format: format)
            try checkForErrors("rendering \(format)")
            return bytes
        }

        /// Renders a bitmap format (`png`) at `dpi`, or, when the bitmap would be larger than
        /// `limit` allows, at the highest resolution that fits: measured from the layout before
        /// cairo allocates anything (a small scene with long notes asked cairo for 29990×32767
        /// pixels, 3.9 GB). Returns the bytes and, when it had to scale, the size it avoided.
        func renderBitmap(dot: String, format: String, dpi: Int, limit: BitmapLimit) throws
            -> (bytes: [UInt8], scaled: BitmapScaling?)
        {
            let graph = try readGraph(dot: dot)
            var laidOut = false
            var closed = false
            defer { if !closed { close(graph, laidOut: laidOut) } }
            setAttribute(graph, "dpi", "\(dpi)")
            try checkForErrors("reading DOT")
            try layout(graph, engine: "dot")
            laidOut = true
            try checkForErrors("laying out the graph with dot")
            let plain = String(decoding: try render(graph, format: "plain"), as: UTF8.self)
            let fields = plain.prefix { $0 != "\n" }.split(separator: " ")
            guard fields.count >= 4, fields[0] == "graph", let inchesWide = Double(fields[2]), let inchesHigh = Double(fields[3]) else {
                throw GraphvizError(operation: "measuring the picture", messages: ["unexpected plain output: \(plain.prefix(80))"])
            }
            let requested = limit.pixels(inchesWide: inchesWide, inchesHigh: inchesHigh, dpi: dpi)
            guard !limit.admits(requested) else {
                let bytes = try render(graph, format: format)
                try checkForErrors("rendering \(format)")
                return (bytes, nil)
            }
            close(graph, laidOut: laidOut)
            closed = true
            let reduced = limit.largestDPI(inchesWide: inchesWide, inchesHigh: inchesHigh, below: dpi)
            let bytes = try render(dot: dot, format: format, attributes: [(name: "dpi", value: "\(reduced)")])
            let drawn = limit.pixels(inchesWide: inchesWide, inchesHigh: inchesHigh, dpi: reduced)
            return (bytes, BitmapScaling(requested: requested, requestedDPI: dpi, drawn: drawn, drawnDPI: reduced))
        }

        /// Throws the messages collected since the last check if any was an error: Graphviz
        /// reports some errors (a malformed HTML label, say) and carries on with a default.
        func checkForErrors(_ operation: String) throws {
            capture.collect()
            let (messages, hasErrors) = takeGraphvizMessages()
            if hasErrors { throw GraphvizError(operation: operation, messages: messages) }
        }

        private func failure(_ operation: String) -> GraphvizError {
            capture.collect()
            return GraphvizError(operation: operation, messages: takeGraphvizMessages().messages)
        }
    }
}

/// The raw context pointer; only ever touched while ``Graphviz``'s lock is held.
private struct ContextHandle: @unchecked Sendable {
    let pointer: OpaquePointer?
}

/// Points the process's stderr at a temporary file while Graphviz runs, and hands what was
/// written there to the collected messages.
///
/// Most of Graphviz reports through `agerr`, which the handler catches; a few plugins (cairo's
/// "graph is too large for cairo-renderer bitmaps") `fprintf(stderr, …)` directly, and would
/// draw over the stepper's screen. Only ever used while the context's lock is held.
private final class StandardErrorCapture {
    private var saved: Int32 = -1
    private var file: UnsafeMutablePointer<FILE>?

    init() {
        fflush(nil)  // every stream, stderr among them (naming `stderr` is not concurrency-safe)
        guard let file = tmpfile() else { return }
        let saved = dup(STDERR_FILENO)
        guard saved >= 0, dup2(fileno(file), STDERR_FILENO) >= 0 else {
            if saved >= 0 { close(saved) }
            fclose(file)
            return
        }
        self.saved = saved
        self.file = file
    }

    /// Moves what was written so far into the collected messages.
    func collect() {
        guard let file else { return }
        fflush(nil)
        let length = ftell(file)
        guard length > 0 else { return }
        rewind(file)
        var bytes = [UInt8](repeating: 0, count: length)
        let read = fread(&bytes, 1, length, file)
        rewind(file)
        _ = ftruncate(fileno(file), 0)
        // Plugins prefix the command name, which is null in a library: drop "(null): ".
        let text = String(decoding: bytes.prefix(read), as: UTF8.self).replacingOccurrences(of: "(null): ", with: "")
        graphvizMessages.withLock { $0.append(text) }
    }

    /// Puts stderr back.
    func finish() {
        guard let file else { return }
        collect()
        fflush(nil)
        dup2(saved, STDERR_FILENO)
        close(saved)
        fclose(file)
        self.file = nil
    }
}

/// Messages Graphviz reported since the last ``takeGraphvizMessages()``.
///
/// A separate lock from the context's, because the C callback runs while that one is held.
private let graphvizMessages = Mutex<[String]>([])

/// Empties and returns the collected messages, with Graphviz's `Error: `/`Warning: ` prefixes
/// dropped, and whether any of them was an error.
private func takeGraphvizMessages() -> (messages: [String], hasErrors: Bool) {
    let raw = graphvizMessages.withLock { messages in
        defer { messages.removeAll() }
        return messages
    }
    // Graphviz may split one message over several calls; join them, then split on lines.
    var hasErrors = false
    let lines = raw.joined().split(whereSeparator: \.isNewline).map { line in
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("Error: ") { hasErrors = true }
        for prefix in ["Error: ", "Warning: "] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
        }
        return text
    }
    return (lines, hasErrors)
}

/// The handler given to `agseterrf`: keeps each message instead of printing it to stderr.
private let collectGraphvizMessage: @convention(c) (UnsafeMutablePointer<CChar>?) -> Int32 = { message in
    guard let message else { return 0 }
    let text = String(cString: message)
    graphvizMessages.withLock { $0.append(text) }
    return 0
}
