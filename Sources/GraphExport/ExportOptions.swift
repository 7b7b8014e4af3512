import GradFlow

/// What a picture shows and how: everything `gradflow export` lets the user choose.
public struct ExportOptions: Sendable {
    /// Significant digits of every number shown (the stepper's default is 4, so is ours).
    public var precision: Int = 4
    /// Operands to consumers left to right (the default) or top to bottom.
    public var rankDirection: RankDirection = .leftToRight
    /// Colours and line styles.
    public var theme: Theme = .light
    /// Whether nodes show their adjoint (reverse mode) or tangent (forward mode).
    public var showsDerivatives = true
    /// When groups are folded into one box each.
    public var folding: Folding = .automatic

    public init() {}

    /// How numbers are written.
    public var numberFormat: NumberFormat { .significant(Swift.max(1, Swift.min(precision, 17))) }
}

/// When a group (function call, loop body) is drawn as one box instead of its nodes.
public enum Folding: Sendable, Equatable {
    /// Fold every group when the graph has more than ``automaticLimit`` nodes, or a loop
    /// unrolled more than ``automaticRunLimit`` times.
    case automatic
    /// Fold every group when the graph has more than this many nodes.
    case above(Int)
    /// Always fold every group.
    case always
    /// Never fold.
    case never
    /// Fold every group when a loop is unrolled more than ``automaticRunLimit`` times, in a
    /// graph of at most ``longRunNodeLimit`` nodes: the stepper's default. (The stepper draws
    /// the iteration of the step open between two boxes, so each new iteration refolds the
    /// graph; past the limit it shows a window of the graph around the step instead.)
    case longRuns

    /// The node count above which ``automatic`` folds: past a few hundred boxes a picture stops
    /// being readable on a slide, and Graphviz's layout time starts to be felt.
    public static let automaticLimit = 300

    /// The iterations of one run (a loop's same-shaped bodies, or calls of one `fn` one after
    /// another) above which ``automatic`` folds whatever the node count: unrolled, each
    /// iteration is a box of its own, and a 20-step RNN is 200 inches wide (10 steps: 107), which
    /// no slide shows legibly; folded it is one box `for t ×20` beside its inputs.
    public static let automaticRunLimit = 8

    /// The most nodes ``longRuns`` folds: refolding a graph this size as the step enters the
    /// next iteration takes well under the 16 ms a step may take.
    public static let longRunNodeLimit = 10_000

    /// Whether a graph of `count` nodes whose longest run of same-shaped groups has `longestRun`
    /// iterations is folded.
    func folds(nodeCount count: Int, longestRun: Int = 0) -> Bool {
        switch self {
        case .automatic: count > Folding.automaticLimit || longestRun > Folding.automaticRunLimit
        case .above(let limit): count > limit
        case .always: true
        case .never: false
        case .longRuns: count <= Folding.longRunNodeLimit && longestRun > Folding.automaticRunLimit
        }
    }

    /// What this rule folds in `graph`: every outermost group, or nothing. The one place that
    /// decides, for `export` and for the stepper alike.
    ///
    /// - Complexity: O((nodes + operands) · nesting depth).
    public func plan(for graph: Graph) -> FoldPlan {
        guard !graph.annotations.groups.isEmpty, self != .never,
              self != .longRuns || graph.count <= Folding.longRunNodeLimit else { return FoldPlan(unfolded: graph) }
        let folded = FoldPlan(foldingOutermostGroupsOf: graph)
        return folds(nodeCount: graph.count, longestRun: folded.longestRun) ? folded : FoldPlan(unfolded: graph)
    }
}

/// The look of a picture.
public enum Theme: String, Sendable, CaseIterable {
    /// Dark text on white, with colour telling node kinds apart.
    case light
    /// Light text on a dark background, for dark slides.
    case dark
    /// Black on white: kinds and states are told apart by line style and text alone.
    case print
}

/// The file formats export writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case dot, svg, png, pdf, html

    /// The format implied by a file name's extension (`.gv` is DOT too), if any.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "dot", "gv": self = .dot
        case "svg": self = .svg
        case "png": self = .png
        case "pdf": self = .pdf
        case "html", "htm": self = .html
        default: return nil
        }
    }

    /// The extension frames of this format get.
    public var fileExtension: String { rawValue }

    /// Graphviz's name for the format, for the formats Graphviz renders.
    var graphvizFormat: String? {
        switch self {
        case .svg: "svg"
        case .png: "png:cairo"
        case .pdf: "pdf:cairo"
        case .dot, .html: nil
        }
    }
}
