import GradFlow
import GraphExport
import Notation

/// Everything the stepper's screen shows, as a value: the model of model / update / view.
///
/// ``update(_:_:)`` makes a new model from a model and a ``Message``; the view draws a model
/// into a ``CellGrid``. Neither touches the terminal. The state of the computation at the
/// current step is never stored here: it is read from the engine's ``Timeline`` at ``step``.
public struct StepperModel: Sendable {
    /// The scene's file name, for the title line.
    public let fileName: String
    /// The outputs that can be differentiated (reverse mode), in declaration order.
    public let outputs: [NamedNode]
    /// The inputs that can be seeded (forward mode), in declaration order.
    public let inputs: [NodeID]
    /// The first node whose value is NaN or infinite, which every view names.
    public let firstNonFiniteNode: NodeID?

    /// The walk being shown, rebuilt when the mode, output or input changes.
    public internal(set) var timeline: Timeline
    /// Steps applied so far: 0 is "nothing yet", `timeline.count` is the end.
    public internal(set) var step: Int
    public internal(set) var differentiation: Differentiation
    /// Index into ``outputs`` of the output being differentiated.
    public internal(set) var outputIndex: Int
    /// Index into ``inputs`` of the input forward mode seeds.
    public internal(set) var inputIndex: Int
    /// How numbers are written.
    public internal(set) var precision: NumberFormat

    /// Which pane the arrow keys move: none (they step), the graph, or the trace.
    public internal(set) var focus: Focus = .steps
    /// Where the graph pane looks.
    public internal(set) var camera = Camera()
    /// The trace pane's first row when scrolled by hand; nil keeps the current row in view.
    public internal(set) var traceTop: Int?
    /// Which page of the step pane (the inspector) is shown when its lines do not all fit
    /// (`s` turns to the next, from the last back to the first); 0 at every new step.
    public internal(set) var inspectorPage = 0
    /// A node picked by a click or by find; the inspector shows it until the next step.
    public internal(set) var inspected: NodeID?
    /// Indices into `graph.annotations.groups` of the groups drawn as one box.
    public internal(set) var folded: Set<Int> = []
    public internal(set) var overlay: Overlay?
    /// The current tensor step opened into its scalar contributions (`e`), if it is.
    public internal(set) var elementWalk: ElementWalk?
    /// Playing steps forward on a timer (`p`), at ``speed`` steps per second.
    public internal(set) var isPlaying = false
    public internal(set) var speedIndex = StepperModel.defaultSpeedIndex
    /// A one-line answer to the last key (a failed find, a group that cannot fold), until the next key.
    public internal(set) var message: String?
    /// The terminal's size.
    public internal(set) var columns: Int
    public internal(set) var rows: Int
    /// What the terminal can show.
    public let charset: Charset
    /// Set by `q`, `Esc` and Ctrl-C: the driver leaves.
    public internal(set) var shouldQuit = false

    /// The steps per second that `+` and `-` choose from.
    public static let speeds: [Double] = [0.5, 1, 2, 4, 8, 16, 32, 64]
    static let defaultSpeedIndex = 2

    /// Opens the stepper on `graph`.
    ///
    /// - Throws: ``WalkError`` (from ``WalkChoice/resolve(in:source:)``) when `options` name an
    ///   output, input or step the graph lacks.
    /// - Complexity: O(nodes + operands), to build the timeline.
    public init(graph: Graph, fileName: String, options: StepperOptions = StepperOptions(),
                columns: Int = 80, rows: Int = 24, charset: Charset = .unicode) throws {
        self.fileName = fileName
        self.columns = columns
        self.rows = rows
        self.charset = charset
        precision = options.precision
        let walk = try options.walk.resolve(in: graph, source: options.source)
        differentiation = options.walk.differentiation
        outputs = graph.reportedOutputs
        inputs = graph.inputs
        firstNonFiniteNode = graph.firstNonFiniteNode
        outputIndex = walk.outputIndex
        inputIndex = walk.inputIndex
        timeline = walk.timeline
        step = walk.step
        let plan = options.folding.plan(for: graph)
        folded = Set(plan.boxes.flatMap(\.groups))
        if options.folding == .longRuns, let run = plan.boxes.first(where: { $0.iterations == plan.longestRun }) {
            message = "\(run.label): \(run.iterations) iterations of the same shape folded, "
                + "the step's own drawn open; f unfolds"
        }
    }

    // MARK: Reading the state

    /// The recorded graph.
    public var graph: Graph { timeline.graph }

    /// The phase of the current step.
    public var phase: Timeline.Phase { timeline.phase(at: step) }

    /// What the current step did, or nil at step 0.
    public var currentStep: Timeline.Step? { step >= 1 ? timeline.step(step) : nil }

    /// The node the current step is about (evaluated, seeded, or receiving a contribution).
    public var currentNode: NodeID? { timeline.currentNode(at: step) }

    /// In a backward step, the consumer passing its adjoint back: where the sweep is.
    public var partnerNode: NodeID? { timeline.partnerNode(at: step) }

    /// The node the panes follow: the inspected node; in a backward step the consumer (the
    /// sweep walks back through consumers, while the receiving operand may be a hub far
    /// behind, like an input used by every layer); else the current node.
    public var focusNode: NodeID? { inspected ?? partnerNode ?? currentNode }

    /// The output being differentiated.
    public var output: NamedNode { outputs[outputIndex] }

    /// The input forward mode seeds, if the graph has inputs.
    public var seededInput: NodeID? { inputs.isEmpty ? nil : inputs[inputIndex] }

    /// Forward mode: what is seeded as people write it, `x`, or one element of a tensor input,
    /// `W[0, 1]`; nil in reverse mode.
    public var seededLabel: String? {
        guard case .forward(let input) = timeline.mode else { return nil }
        return ElementReference.label(graph.label(of: input), offset: timeline.tangentElement, in: graph.shape(of: input))
    }

    /// Steps per second while playing.
    public var speed: Double { Self.speeds[speedIndex] }

    /// Whether the step is the last one.
    public var isAtEnd: Bool { step == timeline.count }
}

/// Which pane the arrow keys move.
public enum Focus: String, Sendable, CaseIterable {
    case steps, graph, trace
}

/// Where the graph pane looks, and how much it shows of each node.
public struct Camera: Sendable, Equatable {
    /// Detailed boxes (name, value, derivative on three lines), one line per node, or names
    /// only; nil chooses the most detailed with which the graph fits the pane.
    public var zoom: Zoom?
    /// Columns and rows panned away from the automatic position (negative: left and up).
    public var columnOffset = 0
    public var rowOffset = 0

    public init(zoom: Zoom? = nil) { self.zoom = zoom }
}

/// How much of each node the graph pane shows: a framed box with name, value and derivative on
/// three lines; one line `[name value │ derivative]`; or the name alone `[name]`, for graphs that
/// fit the pane no other way (the trace and the inspector still give every number).
public enum Zoom: String, Sendable, CaseIterable {
    case detail, compact, name
}

/// What covers part of the screen and takes the keys first.
public enum Overlay: Sendable, Equatable {
    /// The key list (`?`).
    case help
    /// The find prompt (`/`) with what has been typed.
    case find(query: String)
    /// A list to choose from: the output (`o`) or the input for forward mode (`i`).
    case chooser(Chooser)
}

/// A list the user picks one entry of.
public struct Chooser: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable { case output, input }
    public var purpose: Purpose
    public var entries: [String]
    public var selected: Int
}
