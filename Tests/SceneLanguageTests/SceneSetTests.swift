import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// Every scene in `Scenes/` loads and produces every number its `# expect` comments state.
/// The numbers in those comments come from the published sources or from derivations by hand,
/// never from running gradflow.
@Suite struct SceneSetTests {
    static let scenesDirectory = repositoryRoot.appendingPathComponent("Scenes")

    static let sceneFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scenesDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".scene") }.sorted()
    }()

    @Test func theClassroomSetIsThere() {
        let classroom = [
            "survey.scene", "neuron.scene", "xy-sin.scene", "neuron-exp.scene", "logistic.scene",
            "used-twice.scene", "two-outputs.scene", "tanh-derivatives.scene", "loop.scene",
            "function.scene", "reparameterisation.scene", "pytorch-tutorial.scene",
        ]
        for name in classroom {
            #expect(Self.sceneFiles.contains(name), "missing Scenes/\(name)")
        }
    }

    @Test(arguments: sceneFiles)
    func everyExpectationHolds(_ file: String) throws {
        let path = Self.scenesDirectory.appendingPathComponent(file).path
        let scene = try Scene.load(path: path)
        let expectations = Expectation.all(in: scene.source)
        #expect(!expectations.isEmpty, "\(file) states no expected numbers")
        #expect(scene.graph.checkInvariants())
        for expectation in expectations {
            guard let expectation else {
                Issue.record("\(file): a malformed `# expect` line")
                continue
            }
            guard let actual = value(of: expectation.subject, in: scene) else {
                Issue.record("\(file) \(expectation): names nothing in the scene")
                continue
            }
            #expect(
                isClose(actual, expectation.expected, relative: expectation.tolerance, absolute: expectation.tolerance),
                "\(file) \(expectation): got \(actual)")
        }
    }

    private func value(of subject: Expectation.Subject, in scene: Scene) -> Double? {
        switch subject {
        case .value(let name):
            guard let node = scene.graph.annotations.names.first(where: { $0.value == name })?.key else { return nil }
            return scene.graph.values[node]
        case .derivative(let outputName, let inputName):
            guard let output = scene.outputs.first(where: { $0.name == outputName }),
                  let input = scene.inputs.first(where: { $0.name == inputName })
            else { return nil }
            return scene.graph.adjoints(from: output.node)[input.node]
        }
    }
}
