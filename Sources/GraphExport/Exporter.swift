import GradFlow

/// Why a picture was not made (besides Graphviz's own failures and files that cannot be written).
public enum ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More boxes than Graphviz can lay out in reasonable time, even after folding.
    case tooLargeToRender(boxes: Int, limit: Int)
    /// A frame sequence longer than ``Exporter/maximumFrameCount``.
    case tooManyFrames(Int, limit: Int)

    public var description: String {
        switch self {
        case .tooLargeToRender(let boxes, let limit):
            "the picture would have \(boxes) boxes, more than the \(limit) Graphviz can lay out in reasonable time; "
                + "export .dot instead, or group the scene's nodes into functions so they can be folded"
        case .tooManyFrames(let count, let limit):
            "\(count) frames are more than the limit of \(limit); export single steps with --step instead"
        }
    }
}

/// Turns a ``DiagramWriter``'s DOT into files: DOT itself, SVG/PNG/PDF through libgvc in-process,
/// and the HTML page that steps through every frame.
public enum Exporter {
    /// The most boxes handed to Graphviz for one picture (the same ceiling as the layout API).
    public static let renderLimit = GraphvizLayout.maximumNodeCount
    /// The most frames one `--frames` or HTML export makes.
    public static let maximumFrameCount = 5_000
    /// PNGs are rendered at twice the screen resolution, sharp on a projector.
    public static let pngDotsPerInch = 144

    /// Renders DOT text in `format` through libgvc (DOT itself is returned as UTF-8).
    ///
    /// `observer` hears when Graphviz starts and ends (for a time limit per picture) and of a
    /// PNG drawn at a lower resolution than asked, to stay within ``bitmapLimit``.
    ///
    /// - Throws: ``GraphvizError`` when Graphviz rejects or fails to render the DOT.
    public static func render(dot: String, format: ExportFormat, picture: String = "the picture",
                              observer: ExportObserver = ExportObserver()) throws -> [UInt8] {
        guard let graphvizFormat = format.graphvizFormat else { return Array(dot.utf8) }
        observer.graphvizStarts(picture)
        defer { observer.graphvizEnds() }
        if format == .png {
            let (bytes, scaling) = try Graphviz.shared.perform { session in
                try session.renderBitmap(dot: dot, format: graphvizFormat, dpi: pngDotsPerInch, limit: bitmapLimit)
            }
            if let scaling { observer.warn((picture == "the picture" ? "" : picture + ": ") + scaling.message) }
            return bytes
        }
        return try Graphviz.shared.perform { session in
            try session.render(dot: dot, format: graphvizFormat)
        }
    }

    /// How large a PNG may be before it is drawn at a lower resolution.
    public static let bitmapLimit = BitmapLimit.standard

    /// Writes one picture of `state` in `format` to `path` (see ``AtomicFile``). Rendering is
    /// done, in memory, before anything is written.
    ///
    /// DOT goes straight from the writer's string to the file: at 100,000 nodes it is about
    /// 100 MB, and copying it into an array first would double the memory.
    public static func write(_ writer: DiagramWriter, state: DiagramState, format: ExportFormat, to path: String,
                             observer: ExportObserver = ExportObserver()) throws {
        if format == .dot {
            try AtomicFile.write(writer.dot(for: state), to: path)
        } else {
            try AtomicFile.write(try picture(writer, state: state, format: format, observer: observer), to: path)
        }
    }

    /// One picture of `state` in `format`; for HTML, the page with every frame of the walk,
    /// opening at `state`'s step when one was asked for, else at step 0: a class should not see
    /// the answer before the walk.
    public static func picture(_ writer: DiagramWriter, state: DiagramState, format: ExportFormat,
                               observer: ExportObserver = ExportObserver()) throws -> [UInt8] {
        if format == .html {
            return Array(try player(writer, opening: state.marksCurrentStep ? state.step : 0, observer: observer).utf8)
        }
        if format != .dot { try checkRenderable(writer) }
        return try render(dot: writer.dot(for: state), format: format, observer: observer)
    }

    /// The steps a frame sequence shows: every step of the walk, 1...count.
    public static func frameSteps(of writer: DiagramWriter) -> ClosedRange<Int> {
        1...Swift.max(1, writer.timeline.count)
    }

    /// Frame `step` of a sequence, drawn with the sequence's common caption width.
    public static func frame(_ writer: DiagramWriter, step: Int, format: ExportFormat, stepLineWidth: Int,
                             observer: ExportObserver = ExportObserver()) throws -> [UInt8] {
        let state = DiagramState(timeline: writer.timeline, step: step)
        return try render(dot: writer.dot(for: state, stepLineWidth: stepLineWidth), format: format,
                          picture: "frame \(step)", observer: observer)
    }

    /// Checks, before any frame is made, that a sequence of `count` frames can be rendered.
    public static func checkFrames(_ writer: DiagramWriter, count: Int, format: ExportFormat) throws {
        guard count <= maximumFrameCount else { throw ExportError.tooManyFrames(count, limit: maximumFrameCount) }
        if format != .dot { try checkRenderable(writer) }
    }

    /// The self-contained HTML page with one SVG frame per step of the walk, from step 0 where
    /// nothing is evaluated yet, opening at step `opening` (default 0).
    public static func player(_ writer: DiagramWriter, opening: Int = 0, observer: ExportObserver = ExportObserver()) throws -> String {
        let steps = 0...writer.timeline.count
        try checkFrames(writer, count: steps.count, format: .svg)
        let width = writer.stepLineWidth(forSteps: steps)
        var frames: [String] = []
        var captions: [String] = []
        var focus: [[String]] = []
        for step in steps {
            let state = DiagramState(timeline: writer.timeline, step: step)
            // Opened once for the frame's picture and its focus alike.
            let frameWriter = writer.opened(for: state) ?? writer
            let dot = frameWriter.dot(for: state, frameID: "s\(step)", stepLineWidth: width)
            let svg = try render(dot: dot, format: .svg, picture: "frame \(step) of \(steps.upperBound)", observer: observer)
            frames.append(String(decoding: svg, as: UTF8.self))
            captions.append(writer.stepLine(for: state) ?? "")
            focus.append(frameWriter.focusIDs(for: state))
        }
        let title = writer.graph.annotations.title ?? "gradflow"
        return HTMLPlayer.page(title: title, frames: frames, captions: captions, focus: focus, opening: Swift.min(Swift.max(opening, 0), steps.upperBound),
                               theme: writer.options.theme)
    }

    private static func checkRenderable(_ writer: DiagramWriter) throws {
        let boxes = writer.drawnCount
        guard boxes <= renderLimit else { throw ExportError.tooLargeToRender(boxes: boxes, limit: renderLimit) }
    }
}

/// What the caller of ``Exporter`` hears while pictures are made: Graphviz starting on a picture
/// (named, e.g. "frame 12 of 600") and ending, for a time limit per picture; warnings.
public struct ExportObserver {
    public var graphvizStarts: (String) -> Void
    public var graphvizEnds: () -> Void
    public var warn: (String) -> Void

    public init(graphvizStarts: @escaping (String) -> Void = { _ in }, graphvizEnds: @escaping () -> Void = {},
                warn: @escaping (String) -> Void = { _ in }) {
        self.graphvizStarts = graphvizStarts
        self.graphvizEnds = graphvizEnds
        self.warn = warn
    }
}
