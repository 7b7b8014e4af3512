import GradFlow

/// How the stepper starts: the command line's start options, already parsed.
public struct StepperOptions: Sendable, Equatable {
    /// `--step K`: the step to open at (within `phase` when one is given).
    public var step: Int?
    /// `--phase`: open at the start of this phase (or at its `step`-th step).
    public var phase: StartPhase?
    /// `--output NAME`: the output to differentiate (reverse mode).
    public var output: String?
    /// `--mode`: reverse (backpropagation) or forward (tangents).
    public var mode: Differentiation
    /// `--wrt NAME`: the input whose tangents forward mode follows.
    public var wrt: String?
    /// `--theme`.
    public var theme: ThemeName
    /// `--precision`: how numbers are written.
    public var precision: NumberFormat

    public init(step: Int? = nil, phase: StartPhase? = nil, output: String? = nil,
                mode: Differentiation = .reverse, wrt: String? = nil, theme: ThemeName = .automatic,
                precision: NumberFormat = .significant(4)) {
        self.step = step
        self.phase = phase
        self.output = output
        self.mode = mode
        self.wrt = wrt
        self.theme = theme
        self.precision = precision
    }
}

/// Which way derivatives flow.
public enum Differentiation: String, Sendable, CaseIterable {
    /// Backpropagation: seed an output, sweep back contribution by contribution.
    case reverse
    /// Tangents: seed an input, sweep forward node by node.
    case forward
}

/// A phase to open the stepper at (`--phase`).
public enum StartPhase: String, Sendable, CaseIterable {
    case forward, seed, backward, end
}

/// The colour scheme (`--theme`).
public enum ThemeName: String, Sendable, CaseIterable {
    /// Dark unless `NO_COLOR` is set or the terminal has no colours, then monochrome.
    case automatic = "auto"
    case dark, light
    /// Attributes only (bold, dim, reverse): for monochrome terminals and projectors.
    case mono
}

/// Why the stepper cannot open on a graph with the options given.
public struct StepperSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
