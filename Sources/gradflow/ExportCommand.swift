import ArgumentParser
import Foundation
import GradFlow
import GraphExport
import GraphFile
import Reports
import SceneLanguage

/// `gradflow export FILE -o OUT`: the graph as DOT, SVG, PNG, PDF or a stepping HTML page.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Draw a scene's graph, values and gradients as DOT, SVG, PNG, PDF or an HTML slideshow.",
        discussion: """
            Every node shows its name, op, value and gradient (∂output/∂node, or with --wrt the \
            tangent ∂node/∂input); every edge its local derivative ∂node/∂operand. Inputs are \
            rounded, constants dashed, outputs double-bordered; function calls are boxed. A tensor \
            shows its value and gradient as matrices (shape and summary beyond 4×4), edges into \
            tensor ops their shape, and the current step's edge its rule (W̄ += z̄ · xᵀ). \
            Rendered in-process with Graphviz's libraries.

            Examples:
              gradflow export Scenes/survey.scene -o survey.svg
              gradflow export Scenes/survey.scene -o step14.png --step 14
              gradflow export Scenes/survey.scene -o backprop.png --phase backward --step 7
              gradflow export Scenes/survey.scene -o tangents.pdf --wrt x1 --theme print
              gradflow export Scenes/survey.scene --frames slides/ --format png
              gradflow export Scenes/survey.scene -o walk.html      (← → to step)
              gradflow export Scenes/survey.scene -o survey.json    (the graph file)

            A .json file (or --format json) is the graph file: every node with its op, \
            operands, value and local derivatives, names, groups and outputs, which every command \
            reads in place of a scene (see docs/capture.md).

            Steps are those of `gradflow step`: 1 to N evaluate the nodes, then the seed, then \
            one step per contribution of the backward pass. Step 0 is "nothing evaluated yet".

            Graphs of more than \(Folding.automaticLimit) nodes, or with a loop of more than \
            \(Folding.automaticRunLimit) same-shaped iterations, have each function call and loop \
            body folded into one box (--collapse / --no-collapse / --fold-above N decide). \
            Pictures are limited to \(Exporter.renderLimit) boxes; DOT is not.
            """)

    @OptionGroup var scene: SceneOptions

    @Option(name: [.customShort("o"), .customLong("out")],
            help: ArgumentHelp("The file to write; its extension picks the format.", valueName: "file"))
    var outputFile: String?

    @Option(help: ArgumentHelp("The format, whatever -o's extension says (json: the graph file; default: from the extension, svg for --frames).", valueName: "format"))
    var format: ExportFileFormat?

    @OptionGroup var precisionOption: PrecisionOption

    @Option(help: ArgumentHelp("Where operands go: left of their consumers (LR) or above them (TB). Default: LR; TB for a scene with tensors, whose matrices stack better than they line up.", valueName: "direction"))
    var rankdir: RankDirection?

    @Option(help: ArgumentHelp("The colour scheme (print: black on white, told apart by line style and text, not colour).", valueName: "theme"))
    var theme: Theme = .light

    @Flag(help: "Show values only, no gradients or tangents.")
    var noAdjoints = false

    @OptionGroup var walk: WalkOptions

    @Option(help: ArgumentHelp("Write one file per step into this directory: frame-0001.svg, …", valueName: "dir"))
    var frames: String?

    @Flag(inversion: .prefixedNo, help: "Fold every function call and loop body into one box (default: only for large graphs).")
    var collapse: Bool?

    @Option(parsing: .unconditional, help: ArgumentHelp("Fold groups when the graph has more than N nodes.", valueName: "N"))
    var foldAbove: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Give up on a picture Graphviz has not laid out after this many seconds (0: wait forever).", valueName: "seconds"))
    var timeLimit = 60

    @OptionGroup var training: TrainingExportOptions

    func validate() throws {
        if outputFile == nil && frames == nil { throw ValidationError("say where to write: -o FILE, or --frames DIR") }
        if outputFile != nil && frames != nil { throw ValidationError("-o and --frames exclude each other") }
        if frames != nil && (walk.step != nil || walk.phase != nil) { throw ValidationError("--frames draws every step; leave out --step and --phase") }
        guard (0...RenderWatchdog.maximumSeconds).contains(timeLimit) else {
            throw ValidationError("--time-limit must be between 0 and \(RenderWatchdog.maximumSeconds) seconds (0: no limit)")
        }
        if let foldAbove, foldAbove < 0 { throw ValidationError("--fold-above must be 0 or more") }
        if collapse != nil && foldAbove != nil { throw ValidationError("--fold-above and --collapse/--no-collapse exclude each other") }
        if outputFile == "-" && format == nil {
            throw ValidationError("-o - writes to standard output; say which format with --format (dot, svg, png, pdf, html or json)")
        }
        if let file = outputFile, format == nil, ExportFileFormat(fileExtension: URL(fileURLWithPath: file).pathExtension) == nil {
            throw ValidationError("cannot tell the format from '\(file)'; end it in .dot, .svg, .png, .pdf, .html or .json, or give --format")
        }
        if frames != nil && format == .graph { throw ValidationError("--frames draws pictures; write the graph file with -o FILE.json") }
        if outputFormat == .graph && walk.isGiven {
            throw ValidationError("a graph file holds the whole graph and every step; --step, --phase, --mode and --wrt are for pictures")
        }
    }

    func run() throws {
        TemporaryFiles.removeOnSignals()
        let loaded = try training.scene(try scene.load(), file: scene.file, limits: scene.limitOptions.limits)
        if training.lossCurve {
            guard let outputFile, case .picture(let format)? = outputFormat else {
                throw invalidInput("--loss-curve draws one picture: give -o FILE.svg, .png or .pdf")
            }
            try refuseToOverwrite(scene: scene.file, with: outputFile)
            return try training.writeLossCurve(loaded, sceneFile: scene.file, to: outputFile, format: format)
        }
        if let outputFile { try refuseToOverwrite(scene: scene.file, with: outputFile) }
        warnIfNotFinite(Computation(graph: loaded.graph), source: scene.file)
        if outputFormat == .graph, let outputFile {
            try refuseNonFiniteLeaves(loaded.graph)
            do {
                try AtomicFile.write(GraphFile.text(of: loaded), to: outputFile)
            } catch {
                throw invalidInput("\(error)")
            }
            return
        }
        let chosen: Walk
        do {
            chosen = try walk.choice.resolve(in: loaded.graph, source: scene.file)
        } catch {
            throw invalidInput(error.message)
        }
        let timeline = chosen.timeline
        let writer = DiagramWriter(timeline: timeline, options: exportOptions(for: loaded.graph))
        let state = walk.step == nil && walk.phase == nil
            ? DiagramState(final: timeline) : DiagramState(timeline: timeline, step: chosen.step)
        // One picture draws one state's boxes (the step's iteration open); frames and the HTML
        // page draw every step's, so their note is of the whole walk's plan.
        let drawsOneState = frames == nil && outputFormat != .picture(.html)
        if writer.isFolding && collapse == nil && foldAbove == nil {
            let reason = loaded.graph.count > Folding.automaticLimit
                ? "\(loaded.graph.count) nodes are more than \(Folding.automaticLimit)"
                : "\(writer.foldPlan.longestRun) same-shaped iterations of a loop are more than \(Folding.automaticRunLimit)"
            printToStandardError("\(scene.file): note: \(reason); \(writer.foldedGroupsPhrase(drawing: drawsOneState ? state : nil)) (--no-collapse draws every node)")
        }
        do {
            if let frames {
                try writeFrames(writer, to: frames)
            } else if let outputFile {
                guard case .picture(let format)? = outputFormat else { return }
                try Exporter.write(writer, state: state, format: format, to: outputFile, observer: observer(intoOneFile: true))
            }
        } catch let error as ExitCode {
            throw error
        } catch let error as FileWriteError where error.reason == String(cString: strerror(EPIPE)) {
            // `export … -o - | head`: the reader has gone, as for any command writing to a pipe.
            _exit(StandardStreams.brokenPipeStatus)
        } catch {
            throw invalidInput("\(error)")
        }
    }

    /// A graph file's inputs and constants are finite numbers (docs/capture.md), so a scene
    /// whose `input x = 0/0` is NaN would be written into a file no reader takes back.
    private func refuseNonFiniteLeaves(_ graph: Graph) throws {
        for node in graph.nodes where graph.ops[node].isLeaf {
            let elements = graph.isTensor(node) ? graph.tensor(of: node).elements : [graph.values[node]]
            guard let value = elements.first(where: { !$0.isFinite }) else { continue }
            let leaf = graph.annotations.names[node].map { "`\($0)`" } ?? "a constant"
            throw invalidInput("\(scene.file): \(leaf) \(elements.count > 1 ? "holds" : "is") \(NumberFormat.shortest.string(value)); "
                + "a graph file holds finite inputs and constants only, so nothing was written")
        }
    }

    /// Time limit per picture, disarmed before anything is written; warnings on stderr.
    private func observer(intoOneFile: Bool) -> ExportObserver {
        ExportObserver(
            graphvizStarts: { picture in armWatchdog(for: picture, intoOneFile: intoOneFile) },
            graphvizEnds: { RenderWatchdog.disarm() },
            warn: { message in printToStandardError("\(scene.file): warning: \(message)") })
    }

    private func exportOptions(for graph: Graph) -> ExportOptions {
        var options = ExportOptions()
        options.precision = precisionOption.precision ?? 4
        options.rankDirection = rankdir ?? (graph.hasTensors ? .topToBottom : .leftToRight)
        options.theme = theme
        options.showsDerivatives = !noAdjoints
        switch (collapse, foldAbove) {
        case (true?, _): options.folding = .always
        case (false?, _): options.folding = .never
        case (nil, let limit?): options.folding = .above(limit)
        case (nil, nil): options.folding = .automatic
        }
        return options
    }

    /// One file per step into `directory`, every one written atomically; frames an earlier
    /// export left there beyond this walk's are removed, so the directory holds one walk.
    private func writeFrames(_ writer: DiagramWriter, to directory: String) throws {
        guard case .picture(let format) = self.format ?? .picture(.svg) else { return }
        try AtomicFile.makeDirectory(directory)
        if format == .html {
            try AtomicFile.write(try Exporter.player(writer, observer: observer(intoOneFile: true)), to: directory + "/index.html")
            return
        }
        let steps = Exporter.frameSteps(of: writer)
        try Exporter.checkFrames(writer, count: steps.count, format: format)
        let width = writer.stepLineWidth(forSteps: steps)
        var written: Set<String> = []
        for step in steps {
            let name = "frame-" + String(repeating: "0", count: Swift.max(0, 4 - String(step).count)) + "\(step)." + format.fileExtension
            let bytes = try Exporter.frame(writer, step: step, format: format, stepLineWidth: width, observer: observer(intoOneFile: false))
            try AtomicFile.write(bytes, to: directory + "/" + name)
            written.insert(name)
        }
        removeStaleFrames(in: directory, keeping: written)
    }

    /// Removes `frame-NNNN.{dot,svg,png,pdf}` files this export did not write.
    private func removeStaleFrames(in directory: String, keeping written: Set<String>) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let pattern = /frame-[0-9]{4,}\.(dot|svg|png|pdf)/
        for name in names where !written.contains(name) && name.wholeMatch(of: pattern) != nil {
            unlink(directory + "/" + name)
        }
    }

    /// Starts the time limit for Graphviz's work on `picture` (DOT needs no Graphviz).
    private func armWatchdog(for picture: String, intoOneFile: Bool) {
        let outcome = intoOneFile ? "nothing was written" : "it and the frames after it were not written"
        RenderWatchdog.arm(seconds: timeLimit, explanation: "\(scene.file): error: Graphviz did not lay out \(picture) "
            + "within \(timeLimit) s; \(outcome). Try --collapse, a smaller --fold-above, a longer --time-limit, "
            + "or -o FILE.dot, which needs no layout")
    }
}

/// What `export` writes: a picture (or the HTML player), or the graph file.
enum ExportFileFormat: Equatable, ExpressibleByArgument {
    case picture(ExportFormat)
    case graph

    init?(argument: String) {
        if argument == "json" { self = .graph } else if let format = ExportFormat(rawValue: argument) { self = .picture(format) } else { return nil }
    }

    /// The format a file name's extension implies: `.json` is the graph file.
    init?(fileExtension: String) {
        if fileExtension.lowercased() == "json" { self = .graph } else if let format = ExportFormat(fileExtension: fileExtension) { self = .picture(format) } else { return nil }
    }

    static var allValueStrings: [String] { ExportFormat.allCases.map(\.rawValue) + ["json"] }
}

extension ExportCommand {
    /// The format of `-o`'s file: --format, or what its extension implies.
    var outputFormat: ExportFileFormat? {
        format ?? outputFile.flatMap { ExportFileFormat(fileExtension: URL(fileURLWithPath: $0).pathExtension) }
    }
}

extension Theme: ExpressibleByArgument {}
extension RankDirection: ExpressibleByArgument {}
