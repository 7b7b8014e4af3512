import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// Properties that hold for every scene: unique names, consistent groups, and gradients that
/// agree with finite differences of the traced values.
@Suite struct SceneInvariantTests {
    /// Every node has exactly one name, no two nodes share one, and the groups nest properly.
    static func checkAnnotations(_ scene: Scene, _ context: String) {
        let graph = scene.graph
        #expect(graph.checkInvariants(), "\(context)")
        #expect(graph.annotations.names.count == graph.count, "\(context): every node is named")
        #expect(Set(graph.annotations.names.values).count == graph.count, "\(context): names are unique")
        let groups = graph.annotations.groups
        for (index, group) in groups.enumerated() {
            #expect(!group.nodes.isEmpty, "\(context): group \(group.label) is empty")
            if let parent = group.parent {
                #expect(parent < index, "\(context): a parent opens before its child")
                #expect(groups[parent].nodes.lowerBound <= group.nodes.lowerBound
                        && group.nodes.upperBound <= groups[parent].nodes.upperBound, "\(context): \(group.label) inside its parent")
            }
        }
        for (node, index) in graph.annotations.groupOfNode {
            #expect(groups[index].nodes.contains(node), "\(context): node \(node) in its group")
            // Innermost: no later group that contains the node is a descendant of this one.
            let deeper = groups.indices.dropFirst(index + 1).contains { groups[$0].nodes.contains(node) }
            #expect(!deeper, "\(context): node \(node) is in its innermost group")
        }
    }

    @Test func everyClassroomSceneIsWellAnnotated() throws {
        let directory = repositoryRoot.appendingPathComponent("Scenes")
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".scene") {
            Self.checkAnnotations(try Scene.load(path: directory.appendingPathComponent(file).path), file)
        }
    }

    @Test func aSceneWithEverythingIsWellAnnotated() throws {
        let scene = try trace("""
            input t1 = 1, x = 0.3
            const t3 = 2
            fn layer(a, w) {
                h = tanh(a * w)
                repeat 2 { h = h * w + t3 }
                return h + randn(3)
            }
            y = layer(x, t1)
            for i in 1...3 { y = layer(y, x) * i }
            d = grad(grad(y, x), x)
            z = sum(y, d, 1) + randn(3)
            output z
            """)
        Self.checkAnnotations(scene, "everything")
        // The user's t1 and t3 are skipped by the temporaries.
        #expect(!scene.names.dropFirst(3).contains("t1") && !scene.names.dropFirst(3).contains("t3"))
    }

    /// Random smooth expressions in x and y: the reverse-mode gradient agrees with central
    /// differences of the traced value (the scene re-traced at moved inputs).
    @Test func randomExpressionsAgreeWithFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 1964)
        func random(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        func expression(_ depth: Int) -> String {
            if depth == 0 || random(4) == 0 {
                return ["x", "y", "0.5", "2", "x", "y"][random(6)]
            }
            let a = expression(depth - 1)
            let b = expression(depth - 1)
            switch random(12) {
            case 0: return "(\(a) + \(b))"
            case 1: return "(\(a) - \(b))"
            case 2: return "(\(a) * \(b))"
            case 3: return "(\(a) / (1 + (\(b))^2))"
            case 4: return "sin(\(a))"
            case 5: return "cos(\(a))"
            case 6: return "tanh(\(a))"
            case 7: return "sigmoid(\(a))"
            case 8: return "exp(tanh(\(a)))"
            case 9: return "(\(a))^2"
            case 10: return "sqrt(1 + (\(a))^2)"
            default: return "ln(2 + sin(\(a)))"
            }
        }
        for round in 0..<60 {
            let body = expression(4)
            let x = Double(random(2000)) / 1000 - 1
            let y = Double(random(2000)) / 1000 - 1
            let text = "input x = 0, y = 0\nf = \(body) + 0 * x * y\noutput f"
            let scene = try Scene.parse(source: text, fileName: "random", inputValues: ["x": x, "y": y])
            for (name, point) in [("x", x), ("y", y)] {
                let numeric = centralDifference(at: point) { moved in
                    var values = ["x": x, "y": y]
                    values[name] = moved
                    return (try? Scene.parse(source: text, fileName: "random", inputValues: values)).map { $0.value("f") } ?? .nan
                }
                let automatic = scene.derivative(of: "f", by: name)
                #expect(isClose(automatic, numeric, relative: 1e-6, absolute: 1e-7), "round \(round) ∂f/∂\(name) of \(body) at (\(x), \(y))")
            }
        }
    }
}
