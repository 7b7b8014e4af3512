import Foundation
import GradFlow
import Testing

/// Where the bad-input corpus lives and what is in it.
public enum BadScenes {
    /// `Tests/BadScenes`: invalid scenes, each with its golden `.expected` diagnostics.
    public static let directory = repositoryRoot.appendingPathComponent("Tests/BadScenes")

    /// The corpus's scene files, sorted.
    public static let names: [String] = {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return all.filter { $0.hasSuffix(".scene") }.sorted()
    }()

    /// The golden diagnostics of the scene `name`, as the scene's file name alone would show them.
    public static func expectedURL(for name: String) -> URL {
        directory.appendingPathComponent(name.replacingOccurrences(of: ".scene", with: ".expected"))
    }

    /// The golden diagnostics of the scene `name`, with ``builtinFunctionList`` in place of
    /// `{built-in functions}` (so that adding an op to the engine changes no golden file).
    public static func expected(for name: String) throws -> String {
        try String(contentsOf: expectedURL(for: name), encoding: .utf8)
            .replacingOccurrences(of: builtinFunctionsPlaceholder, with: builtinFunctionList)
    }

    /// Compares `rendered` with the golden diagnostics of `name` (see ``Golden``), the function
    /// list standing as its placeholder in the file.
    public static func check(_ rendered: String, for name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let golden = rendered.replacingOccurrences(of: builtinFunctionList, with: builtinFunctionsPlaceholder)
        try Golden.check(golden, expectedURL(for: name), sourceLocation: sourceLocation)
    }

    static let builtinFunctionsPlaceholder = "{built-in functions}"
}

/// The functions the "unknown function" diagnostic lists, read from the op table's public
/// description: the functions of one argument, then of two, then of any number (each in the
/// table's order, with aliases after their op: `ln, log`), then `grad` and `randn`, then the
/// tensor functions.
public let builtinFunctionList: String = {
    let named = Op.allCases.filter { $0.sceneName != nil }
    let ordered = [1, 2, nil].flatMap { arity in named.filter { $0.arity == arity } }
    let tensorFunctions = ["zeros", "ones", "full", "linspace", "transpose", "softmax", "log_softmax", "logsumexp", "reshape"]
    return (ordered.flatMap(\.rule.sceneNames) + ["grad", "randn"] + tensorFunctions).joined(separator: ", ")
}()
