import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// The Swift API with tensors against the scene path: the same computation written with
/// `TensorVariable`s and as a scene gives the same value and gradients, and the same second
/// derivatives through `tape.derivative` and a scene's `grad`.
@Suite struct TensorTapeSceneTests {
    @Test func theLinearLayerSceneThroughTheAPI() throws {
        // Scenes/tensors/linear-layer.scene: h = tanh(W @ x + b), loss = Σ (h − target)².
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/linear-layer.scene").path)
        let tape = Tape()
        let W = tape.input(Tensor(shape: [2, 2], elements: [0.1, -0.2, 0.4, 0.3]), name: "W")
        let b = tape.input(Tensor(shape: [2], elements: [0.05, -0.05]), name: "b")
        let x = tape.constant(Tensor(shape: [2], elements: [1, 2]))
        let target = tape.constant(Tensor(shape: [2], elements: [0.5, -0.5]))
        let h = tanh(matmul(W, x) + b)
        let loss = sum(pow(h - target, 2))
        let output = scene.outputs[0].node
        #expect(isClose(loss.value, scene.graph.values[output], relative: 1e-15))
        let fromScene = scene.graph.tensorGradient(of: output)
        for (input, variable) in zip(scene.inputs, [W, b]) {
            let sceneGradient = try #require(fromScene.first { $0.input == input.node }).derivative
            let apiGradient = loss.gradient(withRespectTo: variable)
            #expect(sceneGradient.shape == apiGradient.shape)
            for (a, c) in zip(apiGradient.elements, sceneGradient.elements) { #expect(isClose(a, c, relative: 1e-15)) }
        }
    }

    @Test func aSecondDerivativeIsTheScenesGradOfGrad() throws {
        let scene = try trace("input W = [[0.1, -0.2], [0.4, 0.3]]\nconst x = [1, 2]\ny = sum(tanh(W @ x)^3)\ng = grad(y, W)\nh = sum(g * g)\noutput h")
        let tape = Tape()
        let W = tape.input(Tensor(shape: [2, 2], elements: [0.1, -0.2, 0.4, 0.3]), name: "W")
        let y = sum(pow(tanh(matmul(W, tape.constant(Tensor(shape: [2], elements: [1, 2])))), 3))
        let g = tape.derivative(y, W)
        let h = sum(g * g)
        let output = scene.outputs[0].node
        #expect(isClose(h.value, scene.graph.values[output], relative: 1e-13))
        let sceneSecond = scene.graph.tensorGradient(of: output)[0].derivative
        for (a, c) in zip(h.gradient(withRespectTo: W).elements, sceneSecond.elements) { #expect(isClose(a, c, relative: 1e-12)) }
    }
}
