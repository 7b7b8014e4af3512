import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// The tensor language: literals, stacks, constructors, broadcasting, `@`, reductions with
/// `axis:`, normalisations, indexing, reshaping, `grad`, and the diagnostics for shapes that do not fit.
@Suite struct TensorSceneTests {
    func value(_ scene: Scene, _ name: String) throws -> Tensor {
        let node = try #require(scene.node(name), "no node \(name)")
        return scene.graph.tensor(of: node)
    }

    func gradient(_ scene: Scene, _ input: String, output: Int = 0) throws -> Tensor {
        let node = try #require(scene.inputs.first { $0.name == input }?.node)
        return scene.graph.tensorAdjoints(from: scene.outputs[output].node).adjoint(of: node, in: scene.graph)
    }

    func expectClose(_ actual: Tensor, _ shape: [Int], _ elements: [Double], relative: Double = 1e-12) {
        #expect(actual.shape == shape)
        #expect(actual.count == elements.count)
        for (got, want) in zip(actual.elements, elements) { #expect(isClose(got, want, relative: relative, absolute: 1e-14), "\(got) vs \(want)") }
    }

    @Test func thePyTorchTutorialAsTensors() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/two-by-two.scene").path)
        #expect(isClose(scene.graph.values[scene.outputs[0].node], 27))
        expectClose(try gradient(scene, "x"), [2, 2], [4.5, 4.5, 4.5, 4.5])
    }

    @Test func batchSoftmaxMatchesPyTorch() throws {
        // The same model in PyTorch 2 (float64, torch.log_softmax, loss.backward()) gives these.
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/batch-softmax.scene").path)
        #expect(isClose(scene.graph.values[scene.outputs[0].node], 1.235433720566235))
        expectClose(try gradient(scene, "W"), [2, 3], [-0.07462935482144695, 0.3806026228469038, -0.3059732680254569,
                                                       0.5177299152802624, 0.1294958949132493, -0.6472258101935118])
        expectClose(try gradient(scene, "b"), [3], [0.0016823733837307842, 0.06426631334426625, -0.06594868672799717], relative: 1e-10)
    }

    @Test func linearLayerMatchesPyTorch() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/linear-layer.scene").path)
        #expect(isClose(scene.graph.values[scene.outputs[0].node], 2.0919658278236115))
        expectClose(try gradient(scene, "W"), [2, 2], [-1.400469207624944, -2.800938415249888, 1.1225517373739176, 2.245103474747835])
        expectClose(try gradient(scene, "b"), [2], [-1.400469207624944, 1.1225517373739176])
    }

    @Test func literalsAndStacks() throws {
        let scene = try trace("""
            input W = [[0.1, -0.2], [0.4, 0.3]]
            const X = [[[1, 2]], [[3, 4]]]
            input a = 1, b = 2
            v = [a, b * 2, -a]
            rows = [[a, b], [b, a]]
            l = sum(v) + sum(W) + sum(X) + sum(rows)
            output l
            """)
        expectClose(try value(scene, "W"), [2, 2], [0.1, -0.2, 0.4, 0.3])
        expectClose(try value(scene, "X"), [2, 1, 2], [1, 2, 3, 4])
        expectClose(try value(scene, "v"), [3], [1, 4, -1])
        expectClose(try value(scene, "rows"), [2, 2], [1, 2, 2, 1])
        // ∂l/∂a = 1 − 1 (from v) + 2 (from rows) = 2; ∂l/∂b = 2 + 2 = 4.
        expectClose(try gradient(scene, "a"), [], [2])
        expectClose(try gradient(scene, "b"), [], [4])
    }

    @Test func constructors() throws {
        let scene = try trace("""
            const z = zeros(2, 3)
            const o = ones(2)
            const f = full(0.5, 3)
            const r = randn(7, 2, 2)
            const s = randn(7)
            const grid = linspace(-7, 7, 5)
            l = sum(z) + sum(o) + sum(f) + sum(r) + s + sum(grid)
            output l
            """)
        expectClose(try value(scene, "z"), [2, 3], [0, 0, 0, 0, 0, 0])
        expectClose(try value(scene, "o"), [2], [1, 1])
        expectClose(try value(scene, "f"), [3], [0.5, 0.5, 0.5])
        expectClose(try value(scene, "grid"), [5], [-7, -3.5, 0, 3.5, 7])
        let r = try value(scene, "r")
        #expect(r.shape == [2, 2])
        // Element 0 is the scalar randn of the same seed; the others continue its stream.
        #expect(r.elements[0] == StandardNormal.sample(seed: 7))
        #expect(r.elements == StandardNormal.samples(seed: 7, count: 4))
        #expect(Set(r.elements).count == 4)
    }

    @Test func broadcastingAddsABiasToEveryRowOfABatch() throws {
        let scene = try trace("""
            input W = [[1, 0], [0, 2], [1, 1]]
            input b = [0.5, -0.5]
            const X = [[1, 1, 1], [2, 0, -1]]
            z = X @ W + b
            l = sum(z * z) / 2
            output l
            """)
        // X @ W = [[2, 3], [1, -1]], + b = [[2.5, 2.5], [1.5, -1.5]]; b̄ = Σ_rows z = [4, 1].
        expectClose(try value(scene, "z"), [2, 2], [2.5, 2.5, 1.5, -1.5])
        expectClose(try gradient(scene, "b"), [2], [4, 1])
        // W̄ = Xᵀ z̄ = [[1, 2], [1, 0], [1, -1]] · [[2.5, 2.5], [1.5, -1.5]].
        expectClose(try gradient(scene, "W"), [3, 2], [5.5, -0.5, 2.5, 2.5, 1, 4])
    }

    @Test func reductionsNormalisationsIndexingAndReshape() throws {
        let scene = try trace("""
            input A = [[1, 5, 3], [4, 2, 6]]
            s0 = sum(A, axis: 0)
            m1 = mean(A, axis: 1)
            mx = max(A, axis: -1)
            top = max(A)
            p = softmax(A)
            q = log_softmax(A, axis: 0)
            lse = logsumexp(A)
            row = A[1]
            row2 = A[-1, :]
            column = A[:, 1]
            corner = A[0, -1]
            flat = reshape(A, 3, 2)
            t = transpose(A)
            l = sum(s0) + top + corner
            output l
            """)
        expectClose(try value(scene, "s0"), [3], [5, 7, 9])
        expectClose(try value(scene, "m1"), [2], [3, 4])
        expectClose(try value(scene, "mx"), [2], [5, 6])
        expectClose(try value(scene, "top"), [], [6])
        expectClose(try value(scene, "row"), [3], [4, 2, 6])
        expectClose(try value(scene, "row2"), [3], [4, 2, 6])
        expectClose(try value(scene, "column"), [2], [5, 2])
        expectClose(try value(scene, "corner"), [], [3])
        expectClose(try value(scene, "flat"), [3, 2], [1, 5, 3, 4, 2, 6])
        expectClose(try value(scene, "t"), [3, 2], [1, 4, 5, 2, 3, 6])
        let p = try value(scene, "p")
        #expect(isClose(p.elements[0] + p.elements[1] + p.elements[2], 1))
        let q = try value(scene, "q")
        // log_softmax down the columns: log(e¹ / (e¹ + e⁴)) = −log(1 + e³).
        #expect(isClose(q.elements[0], -Foundation.log(1 + Foundation.exp(3))))
        let lse = try value(scene, "lse")
        #expect(lse.shape == [2])
        #expect(isClose(lse.elements[0], Foundation.log(Foundation.exp(1) + Foundation.exp(5) + Foundation.exp(3))))
        // l = Σ A + max A + A[0, 2]: ∂l/∂A is 1 everywhere, +1 at the maximum (6), +1 at the corner (3).
        expectClose(try gradient(scene, "A"), [2, 3], [1, 1, 2, 1, 1, 2])
    }

    @Test func sumOfScalarsKeepsItsMeaning() throws {
        let scene = try trace("input a = 1, b = 2, c = 3\ns = sum(a, b, c)\nm = mean(a, b)\noutput s")
        let s = try #require(scene.node("s"))
        #expect(scene.graph.ops[s] == .sum)
        #expect(scene.graph.values[s] == 6)
        #expect(scene.graph.ops[try #require(scene.node("m"))] == .mean)
        #expect(!scene.graph.hasTensors)
    }

    @Test(arguments: ["survey", "neuron", "mlp", "batch-mlp", "softmax-cross-entropy", "pytorch-tutorial", "rnn", "train-xor"])
    func aScalarSceneRecordsNoTensor(_ name: String) throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(name).scene").path)
        #expect(!scene.graph.hasTensors)
        #expect(!scene.graph.ops.contains(.tensor))
        #expect(scene.graph.tensorStorage.elementCount == 0)
    }

    @Test func gradOfAScalarWithRespectToATensor() throws {
        let scene = try trace("""
            input W = [[1, 2], [3, 4]]
            y = sum(W * W)
            g = grad(y, W)
            output y
            """)
        expectClose(try value(scene, "g"), [2, 2], [2, 4, 6, 8])
    }

    @Test func shapeErrorsArePositionedAndNameBothShapes() {
        #expect(rendered("input A = [[1, 2, 3], [4, 5, 6]]\ninput v = [1, 2]\ny = A @ v\nl = sum(y)\noutput l") == """
            test.scene:3:7: error: cannot compute [2, 3] @ [2]: inner dimensions 3 and 2 differ
            y = A @ v
                  ^
            """)
        #expect(rendered("input A = [[1, 2, 3], [4, 5, 6]]\ninput v = [1, 2]\ny = A * v\nl = sum(y)\noutput l") == """
            test.scene:3:7: error: cannot compute [2, 3] * [2]: dimensions 3 and 2 differ and neither is 1, so the shapes do not broadcast
            y = A * v
                  ^
            """)
        #expect(rendered("input A = [[1, 2], [3]]\noutput A") == """
            test.scene:1:20: error: a list must be rectangular: its entry 2 has shape [1] but its first has [2]
            input A = [[1, 2], [3]]
                               ^
            """)
        #expect(rendered("input x = [1, 2]\nl = x[2]\noutput l").contains("index 2 is out of range for axis 0 of [2]"))
        #expect(rendered("input x = [1, 2]\nl = reshape(x, 3)\noutput l").contains("cannot reshape [2] (2 elements) to [3] (3 elements)"))
        #expect(rendered("input x = [1, 2]\nl = sum(x, axis: 1)\noutput l").contains("cannot take sum(axis: 1) of [2]: axis 1 is out of range"))
        #expect(rendered("input x = 3\nl = x[0]\noutput l").contains("only a tensor can be indexed"))
        #expect(rendered("input x = [1, 2]\nl = tanh(x, axis: 0)\noutput l").contains("`tanh` takes no `axis:`"))
        #expect(rendered("l = sum(zeros(0, 3))\noutput l").contains("a dimension must be at least 1"))
        #expect(rendered("input x = [[[[[1]]]]]\noutput x").contains("at most 4 axes"))
        #expect(rendered("input x = [1, 2]\nl = sum(x, x)\noutput l").contains("`sum` of several values takes scalars"))
        #expect(rendered("input x = []\noutput x").contains("an empty list has no shape"))
    }

    @Test func aTensorOutputMustBeReduced() {
        let message = rendered("input A = [[1, 2], [3, 4]]\nB = A * 2\noutput B")
        #expect(message.hasPrefix("test.scene:3:8: error: `B` is a tensor of shape [2, 2], and an output must be a scalar"))
        #expect(message.contains("backward()"))
        #expect(message.contains("`loss = sum(B)`"))
    }

    @Test func aGradientOfATensorSceneCanBeAnOutput() throws {
        // y = Σ W², g = 2W, l = Σ g = 2 Σ W = 20; ∂l/∂W = 2 everywhere.
        let scene = try trace("input W = [[1, 2], [3, 4]]\ny = sum(W * W)\ng = grad(y, W)\nl = sum(g)\noutput l")
        #expect(isClose(scene.value("l"), 20))
        expectClose(try gradient(scene, "W"), [2, 2], [2, 2, 2, 2])
    }

    @Test func aDeclarationTakesATensorExpressionOfConstants() throws {
        let scene = try trace("input W = randn(1, 2, 2) * 0.1\nconst g = linspace(0, 1, 3) * 2\nl = sum(W) + sum(g)\noutput l")
        expectClose(try value(scene, "W"), [2, 2], StandardNormal.samples(seed: 1, count: 4).map { $0 * 0.1 })
        expectClose(try value(scene, "g"), [3], [0, 1, 2])
        // Only the declared leaves and what uses them are recorded, not the steps that made their values.
        #expect(scene.graph.count == 5)  // W, g, sum(W), sum(g), +
        #expect(rendered("input a = 2\ninput W = [1, 2] * a\noutput a").contains("the value of input `W` cannot depend on inputs"))
    }

    @Test func compoundAssignmentWorksOnTensors() throws {
        // v = ([1, 2] + 1) * [2, 3] = [4, 9]; ∂sum(v)/∂x = [2, 3].
        let scene = try trace("input x = [1, 2]\nv = x\nv += 1\nv *= [2, 3]\nl = sum(v)\noutput l")
        expectClose(try value(scene, "v₂"), [2], [4, 9])  // `v = x` names no new node
        #expect(scene.graph.values[scene.outputs[0].node] == 13)
        expectClose(try gradient(scene, "x"), [2], [2, 3])
    }

    @Test func functionsTakeAndReturnTensors() throws {
        let scene = try trace("""
            fn layer(W, x, b) = tanh(W @ x + b)
            input W = [[0.1, -0.2], [0.4, 0.3]]
            input b = [0.05, -0.05]
            h = layer(W, [1, 2], b)
            loss = sum((h - [0.5, -0.5])^2)
            output loss
            """)
        // The same numbers as Scenes/tensors/linear-layer.scene, written without the function.
        #expect(isClose(scene.graph.values[scene.outputs[0].node], 2.0919658278236115))
        expectClose(try gradient(scene, "b"), [2], [-1.400469207624944, 1.1225517373739176])
    }

    @Test func sizesAreBoundedBeforeAnythingIsAllocated() {
        #expect(rendered("input a = zeros(4096, 1)\ninput b = zeros(1, 8192)\nl = sum(a + b)\noutput l")
            .contains("cannot compute [4096, 1] + [1, 8192]: the result [4096, 8192] would hold more than 16777216 elements"))
        #expect(rendered("const A = zeros(2048, 2048)\nl = sum(A @ A)\noutput l").contains("the product would take more than 4294967296 multiply–adds"))
        #expect(rendered("l = sum(zeros(100000, 100000, 100000, 100000))\noutput l").contains("would hold more than 16777216 elements"))
        // a + b (2^24 elements) is within the limit for one tensor, and only a raised limit for the scene.
        var raised = SceneLimits.standard
        raised.maxTensorElements = 1 << 26
        #expect(rendered("const a = zeros(4096, 1, 1, 1)\nconst b = zeros(1, 4096, 1, 1)\nconst c = zeros(1, 1, 4096, 1)\nl = sum(a + b + c)\noutput l", limits: raised)
            .contains("would hold more than 16777216 elements"))
        #expect(rendered("const a = zeros(4096, 1, 1, 1)\nconst b = zeros(1, 4096, 1, 1)\nconst c = zeros(1, 1, 4096, 1)\nl = sum(a + b + c)\noutput l")
            .contains("test.scene:4:17: error: the scene's tensors hold more than 8388608 elements in all, the limit for a scene (raise it with --max-elements)"))
        var limits = SceneLimits.standard
        limits.maxTensorElements = 150
        #expect(rendered("const a = zeros(10, 10)\nb = a + 1\nl = sum(b)\noutput l", limits: limits)
            .contains("test.scene:2:5: error: the scene's tensors hold more than 150 elements in all, the limit for a scene"))
    }

    /// A dimension or an index of 10^15 or more is out of range; the message used to add that a
    /// scene makes at most a million loop iterations (--max-nodes), which has nothing to do with it.
    @Test func hugeDimensionsAndIndicesDoNotTalkAboutLoops() {
        let index = rendered("input x = [1, 2]\nl = x[1e300]\noutput l")
        #expect(index.contains("test.scene:2:7: error: an index is out of range: it must be below 10^15 in size, but it is 1e+300\n"), "\(index)")
        let dimension = rendered("input x = [1, 2]\ny = reshape(x, 4611686018427387904, 4)\nl = sum(y)\noutput l")
        #expect(dimension.contains("error: a dimension is out of range") && !dimension.contains("--max-nodes"), "\(dimension)")
        #expect(rendered("input x = 1\nrepeat 1e300 { }\noutput x").contains("--max-nodes"))
    }

    @Test func anInputElementCanBeReplacedForFiniteDifferences() throws {
        let scene = try Scene.parse(source: "input W = [[1, 2], [3, 4]]\nl = sum(W)\noutput l", fileName: "t.scene",
                                    inputValues: ["W[2]": 10])
        #expect(scene.graph.values[scene.outputs[0].node] == 17)
    }
}
