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
    /// - Throws: ``GraphvizError`` when Graphviz rejects or fails to render the DOT.
    public static func render(dot: String, format: ExportFormat) throws -> [UInt8] {
        guard let graphvizFormat = format.graphvizFormat else { return Array(dot.utf8) }
        let attributes = format == .png ? [(name: "dpi", value: "\(pngDotsPerInch)")] : []
        return try Graphviz.shared.perform { session in
            try session.render(dot: dot, format: graphvizFormat, attributes: attributes)
        }
    }

    /// Writes one picture of `state` in `format` to `path`, atomically.
    ///
    /// DOT goes straight from the writer's string to the file: at 100,000 nodes it is about
    /// 100 MB, and copying it into an array first would double the memory.
    public static func write(_ writer: DiagramWriter, state: DiagramState, format: ExportFormat, to path: String) throws {
        if format == .dot {
            try AtomicFile.write(writer.dot(for: state), to: path)
        } else {
            try AtomicFile.write(try picture(writer, state: state, format: format), to: path)
        }
    }

    /// One picture of `state` in `format`; for HTML, the page with every frame of the walk,
    /// opening at `state`'s step when one was asked for, else at step 0: a class should not see
    /// the answer before the walk.
    public static func picture(_ writer: DiagramWriter, state: DiagramState, format: ExportFormat) throws -> [UInt8] {
        if format == .html { return Array(try player(writer, opening: state.marksCurrentStep ? state.step : 0).utf8) }
        if format != .dot { try checkRenderable(writer) }
        return try render(dot: writer.dot(for: state), format: format)
    }

    /// The steps a frame sequence shows: every step of the walk, 1...count.
    public static func frameSteps(of writer: DiagramWriter) -> ClosedRange<Int> {
        1...Swift.max(1, writer.timeline.count)
    }

    /// Frame `step` of a sequence, drawn with the sequence's common caption width.
    public static func frame(_ writer: DiagramWriter, step: Int, format: ExportFormat, stepLineWidth: Int) throws -> [UInt8] {
        let state = DiagramState(timeline: writer.timeline, step: step)
        return try render(dot: writer.dot(for: state, stepLineWidth: stepLineWidth), format: format)
    }

    /// Checks, before any frame is made, that a sequence of `count` frames can be rendered.
    public static func checkFrames(_ writer: DiagramWriter, count: Int, format: ExportFormat) throws {
        guard count <= maximumFrameCount else { throw ExportError.tooManyFrames(count, limit: maximumFrameCount) }
        if format != .dot { try checkRenderable(writer) }
    }

    /// The self-contained HTML page with one SVG frame per step of the walk, from step 0 where
    /// nothing is evaluated yet, opening at step `opening` (default 0).
    public static func player(_ writer: DiagramWriter, opening: Int = 0) throws -> String {
        let steps = 0...writer.timeline.count
        try checkFrames(writer, count: steps.count, format: .svg)
        let width = writer.stepLineWidth(forSteps: steps)
        var frames: [String] = []
        var captions: [String] = []
        for step in steps {
            let state = DiagramState(timeline: writer.timeline, step: step)
            let dot = writer.dot(for: state, frameID: "s\(step)", stepLineWidth: width)
            frames.append(String(decoding: try render(dot: dot, format: .svg), as: UTF8.self))
            captions.append(writer.stepLine(for: state) ?? "")
        }
        let title = writer.graph.annotations.title ?? "gradflow"
        return HTMLPlayer.page(title: title, frames: frames, captions: captions, opening: Swift.min(Swift.max(opening, 0), steps.upperBound),
                               theme: writer.options.theme)
    }

    private static func checkRenderable(_ writer: DiagramWriter) throws {
        let boxes = writer.drawnCount
        guard boxes <= renderLimit else { throw ExportError.tooLargeToRender(boxes: boxes, limit: renderLimit) }
    }
}
