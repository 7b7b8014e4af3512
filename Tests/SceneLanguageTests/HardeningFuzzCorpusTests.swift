import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// The fuzzer's minimised corpus (`Fuzz/corpus`, `Fuzz/seeds`), replayed in the ordinary test
/// suite: without libFuzzer, each input still reaches the paths the fuzzer found, so a change
/// that makes one of them crash or hang fails here first. Same limits and the same `=` rule for
/// `gradflow eval`'s path as `Fuzz/FuzzScene.swift`.
@Suite struct HardeningFuzzCorpusTests {
    static let limits = SceneLimits(maxNodes: 20_000, maxNestingDepth: 200, maxSourceBytes: 1 << 20, maxCallDepth: 200, maxTensorElements: 1 << 20)

    static let inputs: [URL] = ["Fuzz/corpus", "Fuzz/seeds"].flatMap { folder -> [URL] in
        let directory = repositoryRoot.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test func theCorpusIsThere() {
        #expect(Self.inputs.count >= 100)
    }

    @Test func everyInputTracesOrGetsPositionedDiagnostics() throws {
        var traced = 0
        for url in Self.inputs {
            let bytes = [UInt8](try Data(contentsOf: url))
            // Bytes that are not UTF-8 are Scene.load's business (tested with the bad scenes).
            guard let text = String(validating: bytes, as: UTF8.self) else { continue }
            do {
                let scene = text.hasPrefix("=")
                    ? try Scene.expression(String(text.dropFirst()), values: [("x", 2), ("w", -1.5)], limits: Self.limits)
                    : try Scene.parse(source: text, fileName: "fuzz.scene", limits: Self.limits)
                #expect(!scene.outputs.isEmpty, "\(url.lastPathComponent)")
                _ = scene.graph.adjoints(from: scene.outputs[0].node)
                if scene.graph.hasTensors { _ = scene.graph.tensorGradient(of: scene.outputs[0].node) }
                traced += 1
            } catch {
                #expect(!error.diagnostics.isEmpty, "\(url.lastPathComponent)")
                for diagnostic in error.diagnostics {
                    #expect(!diagnostic.message.isEmpty, "\(url.lastPathComponent)")
                    #expect(diagnostic.line == 0 || diagnostic.column >= 1, "\(url.lastPathComponent)")
                }
            }
        }
        // The corpus is not all errors: some inputs trace, so the sweeps are exercised too.
        #expect(traced >= 10)
    }
}
