/// Which way derivatives flow through a walk.
public enum Differentiation: String, Sendable, CaseIterable {
    /// Backpropagation: seed an output, sweep back contribution by contribution.
    case reverse
    /// Tangents: seed an input, sweep forward node by node.
    case forward
}

/// The walk a person asks for by name (`--mode`, `--output`, `--wrt`, `--phase`, `--step`):
/// the one set of rules by which the stepper and the exporter choose a ``Timeline`` and a step.
///
/// - Mode: forward when asked for, or when `wrt` names an input; reverse otherwise.
/// - Output (reverse mode): the one named, else the first of ``Graph/reportedOutputs``.
/// - Input (forward mode): the one named, else the first input; `--wrt W[0, 1]` names one element
///   of a tensor input (see ``ElementReference``), else its first element is seeded.
/// - Step: without a phase, step K of the whole timeline (0 is before anything; 1…N evaluate the
///   nodes, then the seed, then one step per contribution). With a phase, K counts within it from
///   1 (the backward phase's step 1 is the seed); a phase alone is its first step (`end`: the last).
public struct WalkChoice: Sendable, Equatable {
    /// A phase to count `step` within.
    public enum Phase: String, Sendable, CaseIterable {
        case forward, seed, backward, end
    }

    public var mode: Differentiation?
    public var output: String?
    public var wrt: String?
    public var phase: Phase?
    public var step: Int?

    public init(mode: Differentiation? = nil, output: String? = nil, wrt: String? = nil, phase: Phase? = nil, step: Int? = nil) {
        (self.mode, self.output, self.wrt, self.phase, self.step) = (mode, output, wrt, phase, step)
    }

    /// Forward mode when asked for, or when `wrt` names an input to carry tangents from.
    public var differentiation: Differentiation { mode ?? (wrt == nil ? .reverse : .forward) }

    /// Mistakes visible without a graph: `--mode reverse --wrt x`, a negative step.
    public func checkOptions() throws(WalkError) {
        if mode == .reverse && wrt != nil { throw WalkError("--wrt carries tangents forward; it needs --mode forward") }
        if let step, step < 0 { throw WalkError("--step must be 0 or more") }
    }

    /// The walk through `graph` that this choice names.
    ///
    /// - Parameter source: how messages name the graph, e.g. its file.
    /// - Throws: ``WalkError``, one line naming the option and the choices there were.
    /// - Complexity: O(nodes + operands), to build the timeline.
    public func resolve(in graph: Graph, source: String = "the graph") throws(WalkError) -> Walk {
        try checkOptions()
        let outputs = graph.reportedOutputs
        guard !outputs.isEmpty else { throw WalkError("\(source) has no nodes to walk through") }
        let inputs = graph.namedInputs
        let outputIndex = try output.map { name throws(WalkError) in
            try NamedNode.index(of: name, among: outputs, option: "--output", kind: "output", source: source)
        } ?? 0
        let reference = try wrt.map { text throws(WalkError) in try ElementReference(text) }
        let inputIndex = try reference.map { reference throws(WalkError) in
            try NamedNode.index(of: reference.name, among: inputs, option: "--wrt", kind: "input", source: source)
        } ?? 0
        // `--wrt W[0, 1]`: one element of a tensor input (the first element when none is named).
        let element = try reference.map { reference throws(WalkError) in
            try reference.offset(in: graph.shape(of: inputs[inputIndex].node))
        } ?? 0
        let timeline: Timeline
        switch differentiation {
        case .reverse:
            timeline = Timeline(graph: graph, mode: .reverse(output: outputs[outputIndex].node))
        case .forward:
            guard !inputs.isEmpty else { throw WalkError("--mode forward needs an input, and \(source) has none") }
            timeline = Timeline(graph: graph, mode: .forward(input: inputs[inputIndex].node), element: element)
        }
        return Walk(timeline: timeline, step: try step(in: timeline), outputIndex: outputIndex, inputIndex: inputIndex)
    }

    /// The absolute step that `step` and `phase` name in `timeline`.
    private func step(in timeline: Timeline) throws(WalkError) -> Int {
        let first: Int, last: Int
        switch phase {
        case nil: (first, last) = (0, timeline.count)
        case .forward?: (first, last) = (1, timeline.graph.count)
        case .end?: (first, last) = (timeline.count, timeline.count)
        case .seed?, .backward?:
            guard let seed = timeline.seedStep else {
                throw WalkError("--phase \(phase!.rawValue) needs reverse mode; forward mode (--wrt) has only the forward phase")
            }
            (first, last) = phase == .seed ? (seed, seed) : (seed, timeline.count)
        }
        guard let step else { return first }
        // Compared before any arithmetic: `--step 9223372036854775807` must not overflow.
        let lowest = phase == nil ? 0 : 1, highest = phase == nil ? last : last - first + 1
        guard step >= lowest, step <= highest else {
            let scope = phase.map { "the \($0.rawValue) phase's steps" } ?? "the steps"
            let seedNote = phase == .backward ? " (step 1 is the seed)" : ""
            throw WalkError("--step \(step) is outside \(scope) \(lowest)…\(highest)\(seedNote)")
        }
        return phase == nil ? step : first + step - 1
    }
}

/// A walk chosen by a ``WalkChoice``: the timeline and the step to show.
public struct Walk: Sendable {
    public let timeline: Timeline
    /// The step to show, 0…`timeline.count`.
    public let step: Int
    /// Index into ``Graph/reportedOutputs`` of the output (the first unless one was named).
    public let outputIndex: Int
    /// Index into ``Graph/inputs`` of the input (the first unless one was named).
    public let inputIndex: Int

    /// Forward mode: the seeded input as people write it, `x` or `W[0, 1]`; nil in reverse mode.
    public var seededLabel: String? {
        guard case .forward(let input) = timeline.mode else { return nil }
        let graph = timeline.graph
        return ElementReference.label(graph.label(of: input), offset: timeline.tangentElement, in: graph.shape(of: input))
    }
}

/// Why a walk cannot be chosen: one line naming the option, e.g.
/// "--wrt: `x3` is not an input of survey.scene; its inputs are x1, x2".
public struct WalkError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension NamedNode {
    /// The index of the node called `name` in `named`, or the error that lists the choices.
    public static func index(of name: String, among named: [NamedNode], option: String, kind: String,
                             source: String) throws(WalkError) -> Int {
        guard let index = named.firstIndex(where: { $0.name == name }) else {
            let names = named.isEmpty ? "none" : named.map(\.name).joined(separator: ", ")
            throw WalkError("\(option): `\(name)` is not an \(kind) of \(source); its \(kind)s are \(names)")
        }
        return index
    }
}
