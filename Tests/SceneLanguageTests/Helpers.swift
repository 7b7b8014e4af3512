import GradFlow
import SceneLanguage
import Testing

/// Traces `text` as a scene named `test.scene`.
func trace(_ text: String, limits: SceneLimits = .standard) throws -> Scene {
    try Scene.parse(source: text, fileName: "test.scene", limits: limits)
}

/// The diagnostics a scene gets (empty if it traces).
func diagnostics(_ text: String, limits: SceneLimits = .standard) -> [Diagnostic] {
    do {
        _ = try Scene.parse(source: text, fileName: "test.scene", limits: limits)
        return []
    } catch {
        return error.diagnostics
    }
}

/// The one rendered diagnostic of a scene, or a description of what happened instead.
func rendered(_ text: String, limits: SceneLimits = .standard) -> String {
    let found = diagnostics(text, limits: limits)
    return found.count == 1 ? found[0].rendered : "\(found.count) diagnostics: \(found.map(\.rendered))"
}

extension Scene {
    /// The node displayed as `name`.
    func node(_ name: String) -> NodeID? {
        graph.annotations.names.first { $0.value == name }?.key
    }

    /// The value of the node displayed as `name` (NaN if there is none, so a test fails).
    func value(_ name: String) -> Double {
        node(name).map { graph.values[$0] } ?? .nan
    }

    /// ∂output/∂input by a reverse sweep, by their reported names.
    func derivative(of output: String, by input: String) -> Double {
        guard let y = outputs.first(where: { $0.name == output }), let x = inputs.first(where: { $0.name == input })
        else { return .nan }
        return graph.adjoints(from: y.node)[x.node]
    }

    /// The display names of all nodes, in evaluation order.
    var names: [String] { graph.nodes.map { graph.label(of: $0) } }
}
