import ArgumentParser
import GradFlow
import GraphFile
import Reports
import SceneLanguage

/// The limits that keep a runaway scene from exhausting the machine, as options.
///
/// Every command that traces scene text takes them; the defaults are ``SceneLimits/standard``.
struct SceneLimitOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The most nodes a scene may record; loop iterations and function calls count too.",
        valueName: "N"))
    var maxNodes: Int = SceneLimits.standard.maxNodes

    @Option(parsing: .unconditional, help: ArgumentHelp("The deepest chain of nested function calls.", valueName: "N"))
    var maxCallDepth: Int = SceneLimits.standard.maxCallDepth

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The most tensor elements a scene may hold in all its tensors (about 60 bytes each in memory, at worst, for grad).",
        valueName: "N"))
    var maxElements: Int = SceneLimits.standard.maxTensorElements

    /// The limits with these options applied.
    var limits: SceneLimits {
        var limits = SceneLimits.standard
        limits.maxNodes = maxNodes
        limits.maxCallDepth = maxCallDepth
        limits.maxTensorElements = maxElements
        return limits
    }

    func validate() throws {
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1") }
        guard maxCallDepth >= 1 else { throw ValidationError("--max-call-depth must be at least 1") }
        guard maxElements >= 1 else { throw ValidationError("--max-elements must be at least 1") }
    }
}

/// The scene file every scene command reads, with the limits it is traced under.
///
/// Used as `@OptionGroup var scene: SceneOptions` by `trace`, `grad`, `check`, `step` and
/// `export`.
struct SceneOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The scene file (e.g. Scenes/survey.scene) or a graph file (.json, from export or gradflow_capture).", valueName: "file"))
    var file: String

    @OptionGroup var limitOptions: SceneLimitOptions

    /// Reads and traces the scene, or reads the graph file. On a bad scene or an unreadable file, prints the diagnostics
    /// to stderr and exits with ``CommandExit/invalidInput``.
    /// A graph file's numbers that disagree with gradflow's op rules are warned about on stderr
    /// unless `warningAboutRules` is false (`check` reports them itself).
    func load(warningAboutRules: Bool = true) throws -> Scene {
        let limits = limitOptions.limits
        return try reportingSceneErrors { () throws(SceneError) in
            try GraphFile.loadSceneOrGraph(path: file, limits: limits, warn: warningAboutRules ? printToStandardError : { _ in })
        }
    }

    /// The input or output called `name`, or the engine's one-line error that lists the
    /// choices, e.g. "--wrt: `x3` is not an input of survey.scene; its inputs are x1, x2".
    func find(_ name: String, among named: [NamedNode], option: String, kind: String) throws -> NamedNode {
        do {
            return named[try NamedNode.index(of: name, among: named, option: option, kind: kind, source: file)]
        } catch {
            throw invalidInput(error.message)
        }
    }

    /// Names for a message: `x1, x2`, or `none`.
    static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
