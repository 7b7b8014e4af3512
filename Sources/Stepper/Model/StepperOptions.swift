import GradFlow
import GraphExport

/// How the stepper starts: the command line's start options, already parsed.
public struct StepperOptions: Sendable, Equatable {
    /// `--step`, `--phase`, `--output`, `--mode`, `--wrt`: the walk to open at, chosen by the
    /// rules `export` follows too.
    public var walk: WalkChoice
    /// How messages about `walk` name the graph: the file as the user typed it.
    public var source = "the graph"
    /// `--theme`.
    public var theme: ThemeName
    /// `--precision`: how numbers are written.
    public var precision: NumberFormat
    /// `--collapse` / `--no-collapse`: which groups start folded (`f` folds and unfolds). By
    /// default, as `export` decides for a loop of more than ``Folding/automaticRunLimit``
    /// same-shaped iterations: every outermost group.
    public var folding: Folding = .longRuns

    public init(step: Int? = nil, phase: WalkChoice.Phase? = nil, output: String? = nil,
                mode: Differentiation? = nil, wrt: String? = nil, theme: ThemeName = .automatic,
                precision: NumberFormat = .significant(4)) {
        walk = WalkChoice(mode: mode, output: output, wrt: wrt, phase: phase, step: step)
        self.theme = theme
        self.precision = precision
    }
}

/// The colour scheme (`--theme`).
public enum ThemeName: String, Sendable, CaseIterable {
    /// Dark unless `NO_COLOR` is set or the terminal has no colours, then monochrome.
    case automatic = "auto"
    case dark, light
    /// Attributes only (bold, dim, reverse): for monochrome terminals and projectors.
    case mono
}
