import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `grad(y, W)` in tensor scenes built as nodes (differentiated again, a gradient-descent step
/// written in the scene), and tensors deciding `if` conditions.
@Suite struct TensorHigherOrderTests {
    /// ∂output/∂element of every input, by central differences of the scene traced again with
    /// that element moved (the tracer's input overrides, as `gradflow check` uses them).
    func centralDifferences(_ text: String, output: String = "h") throws -> [String: [Double]] {
        let scene = try trace(text)
        var result: [String: [Double]] = [:]
        for input in scene.inputs {
            let value = scene.graph.tensor(of: input.node)
            result[input.name] = try value.elements.indices.map { offset in
                let key = scene.graph.isTensor(input.node) ? "\(input.name)[\(offset)]" : input.name
                var thrown: Error?
                let derivative = centralDifference(at: value.elements[offset]) { moved in
                    do {
                        let movedScene = try Scene.parse(source: text, fileName: "test.scene", inputValues: [key: moved])
                        return movedScene.value(output)
                    } catch {
                        thrown = error
                        return .nan
                    }
                }
                if let thrown { throw thrown }
                return derivative
            }
        }
        return result
    }

    func gradient(_ scene: Scene, output: String = "h") throws -> [String: [Double]] {
        let y = try #require(scene.outputs.first { $0.name == output }?.node)
        let adjoints = scene.graph.tensorAdjoints(from: y)
        return Dictionary(uniqueKeysWithValues: scene.inputs.map { ($0.name, adjoints.adjoint(of: $0.node, in: scene.graph).elements) })
    }

    @Test func theGradientOfAGradientNormAgainstCentralDifferences() throws {
        // h = Σ (∂y/∂W)², y = Σ tanh(W @ x)²: the gradient of h goes through every node of grad(y, W).
        let text = """
            input W = [[0.5, -0.3, 0.1], [0.2, 0.8, -0.6]]
            input x = [1.5, -0.5, 0.25]
            y = sum(tanh(W @ x)^2)
            g = grad(y, W)
            h = sum(g * g)
            output h
            """
        let scene = try trace(text)
        let built = try gradient(scene)
        let numeric = try centralDifferences(text)
        for name in ["W", "x"] {
            let got = try #require(built[name]), want = try #require(numeric[name])
            #expect(got.count == want.count)
            for (a, b) in zip(got, want) { #expect(isClose(a, b, relative: 1e-6, absolute: 1e-8), "\(name): \(a) vs \(b)") }
        }
        // g's value is the numeric reverse sweep of y.
        let gNode = try #require(scene.node("g")), yNode = try #require(scene.node("y")), w = scene.inputs[0].node
        let swept = scene.graph.tensorAdjoints(from: yNode).adjoint(of: w, in: scene.graph)
        #expect(scene.graph.shape(of: gNode) == [2, 3])
        for (a, b) in zip(scene.graph.tensor(of: gNode).elements, swept.elements) { #expect(isClose(a, b, relative: 1e-12)) }
    }

    /// Three gradient-descent steps of linear regression written in the scene with tensors, and
    /// the same with scalar inputs and every row written out (the scalar engine's `grad`): the
    /// final loss and its gradient with respect to the starting weights and the learning rate agree.
    @Test func anUnrolledGradientDescentIsTheScalarOne() throws {
        let tensorScene = """
            const X = [[1, 2], [3, -1], [0.5, 0.5]]
            const t = [1, 2, 0]
            input w = [0.1, -0.2]
            input lr = 0.05
            fn loss(w) = mean((X @ w - t)^2)
            repeat 3 {
                L = loss(w)
                w = w - lr * grad(L, w)
            }
            h = loss(w)
            output h
            """
        let scalarScene = """
            input w0 = 0.1, w1 = -0.2
            input lr = 0.05
            fn loss(w0, w1) = mean((w0 * 1 + w1 * 2 - 1)^2, (w0 * 3 + w1 * -1 - 2)^2, (w0 * 0.5 + w1 * 0.5 - 0)^2)
            repeat 3 {
                L = loss(w0, w1)
                d0 = grad(L, w0)
                d1 = grad(L, w1)
                w0 = w0 - lr * d0
                w1 = w1 - lr * d1
            }
            h = loss(w0, w1)
            output h
            """
        let tensor = try trace(tensorScene), scalar = try trace(scalarScene)
        #expect(isClose(tensor.value("h"), scalar.value("h"), relative: 1e-12))
        let built = try gradient(tensor), reference = try gradient(scalar)
        let w = try #require(built["w"]), lr = try #require(built["lr"])
        #expect(isClose(w[0], try #require(reference["w0"]?.first), relative: 1e-12))
        #expect(isClose(w[1], try #require(reference["w1"]?.first), relative: 1e-12))
        #expect(isClose(lr[0], try #require(reference["lr"]?.first), relative: 1e-12))
        // And against central differences of the tensor scene itself (the hypergradient too).
        let numeric = try centralDifferences(tensorScene)
        #expect(isClose(lr[0], try #require(numeric["lr"]?.first), relative: 1e-6))
        for (a, b) in zip(w, try #require(numeric["w"])) { #expect(isClose(a, b, relative: 1e-6)) }
    }

    @Test func anElementOfATensorDecidesACondition() throws {
        let text = "input x = [1, -2]\nif x[0] > 0 and sum(x) < 0 {\n  y = sum(x * 2)\n} else {\n  y = sum(x)\n}\noutput y"
        let scene = try trace(text)
        #expect(isClose(scene.value("y"), -2))
        // Deciding the condition records nothing: the graph is x, x * 2 and its sum.
        #expect(scene.graph.count == 3, "\(scene.names)")
        let moved = try Scene.parse(source: text, fileName: "test.scene", inputValues: ["x[0]": -1])
        #expect(isClose(moved.value("y"), -3))
        // A tensor where a number is needed is a diagnostic at the expression.
        #expect(rendered("input x = [1, 2]\nif x > 0 { y = 1 }\nl = sum(x)\noutput l")
            == "test.scene:2:4: error: this is a tensor of shape [2], but a condition, a count or a seed takes a number; use one element, e.g. `x[0]`, or a reduction such as `sum(x)`\nif x > 0 { y = 1 }\n   ^")
        // A count from a tensor element.
        let repeated = try trace("const n = [3, 1]\ninput v = 1\nrepeat n[0] {\n  v = v * 2\n}\noutput v")
        #expect(isClose(repeated.graph.values[repeated.outputs[0].node], 8))
    }

    /// docs/tensors.md shows the body of Scenes/tensors/gradient-descent-unrolled-tensors.scene,
    /// whose `# expect` lines (NumPy in closed form) SceneSetTests checks.
    @Test func theDocumentedSceneIsTheSceneFile() throws {
        let page = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/tensors.md"), encoding: .utf8)
        let scene = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenes/tensors/gradient-descent-unrolled-tensors.scene"), encoding: .utf8)
        let shown = try #require(page.components(separatedBy: "```\n").first { $0.hasPrefix("const X = [[1, 2], [3, -1]") })
        #expect(scene.contains(shown))
    }
}
