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

    /// The scenes of `Scenes/` and of `Scenes/tensors/` (kept apart while the stepper and the
    /// pictures do not draw tensors), as paths relative to `Scenes/`.
    static let sceneFiles: [String] = {
        func scenes(in directory: String) -> [String] {
            let url = directory.isEmpty ? scenesDirectory : scenesDirectory.appendingPathComponent(directory)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".scene") }.sorted().map { directory.isEmpty ? $0 : directory + "/" + $0 }
        }
        return scenes(in: "") + scenes(in: "tensors")
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

    /// `within` is a relative tolerance, as docs/scene-language.md says: it used to be applied
    /// as an absolute one too, so `7.7e-8 within 1e-7` accepted twice the value, or 0.
    @Test func withinIsARelativeTolerance() throws {
        let lines = Expectation.all(in: "# expect d p/d b = 7.723193099270683e-8 within 1e-7\n# expect d p/d w1 = 0\n# expect g = 2.5e9 within 1e-9")
        let small = try #require(lines[0]), zero = try #require(lines[1]), large = try #require(lines[2])
        #expect(small.holds(7.7231931e-8))
        #expect(!small.holds(1.5e-7))
        #expect(!small.holds(0))
        #expect(zero.holds(0))
        #expect(!zero.holds(1e-13))
        #expect(large.holds(2.5e9 + 2))
        #expect(!large.holds(2.5e9 + 3))
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
                expectation.holds(actual),
                "\(file) \(expectation): got \(actual)")
        }
    }

    private func value(of subject: Expectation.Subject, in scene: Scene) -> Double? {
        switch subject {
        case .value(let name, let element):
            guard let node = scene.graph.annotations.names.first(where: { $0.value == name })?.key else { return nil }
            return Self.entry(scene.graph.tensor(of: node), element)
        case .derivative(let outputName, let inputName, let element):
            guard let output = scene.outputs.first(where: { $0.name == outputName }),
                  let input = scene.inputs.first(where: { $0.name == inputName })
            else { return nil }
            guard scene.graph.hasTensors else { return element == nil ? scene.graph.adjoints(from: output.node)[input.node] : nil }
            return Self.entry(scene.graph.tensorAdjoints(from: output.node).adjoint(of: input.node, in: scene.graph), element)
        }
    }

    /// One element of `tensor` (row-major; negative positions from the end), or its only value
    /// when no element is named; nil when the element does not fit the shape.
    static func entry(_ tensor: Tensor, _ element: [Int]?) -> Double? {
        guard let element else { return tensor.count == 1 ? tensor.elements[0] : nil }
        guard element.count == tensor.rank else { return nil }
        var offset = 0
        for (position, size) in zip(element, tensor.shape) {
            let resolved = position < 0 ? position + size : position
            guard (0..<size).contains(resolved) else { return nil }
            offset = offset * size + resolved
        }
        return tensor.elements[offset]
    }
}
