import Foundation
import GradFlow
import Testing
import TestSupport

/// The Swift API with tensors (`TensorVariable`): values and gradients against central
/// differences of the same code run again with one element moved, and derivatives of derivatives.
@Suite struct TensorTapeTests {
    static let W = Tensor(shape: [2, 3], elements: [0.5, -0.3, 0.1, 0.2, 0.8, -0.6])
    static let b = Tensor(shape: [2], elements: [0.1, -0.4])
    static let X = Tensor(shape: [4, 3], elements: [1, 2, -1, 0.5, -1, 0.25, -1, 0.5, 2, 0.3, 0.3, -0.7])

    /// A layer on a batch, `tanh(X Wᵀ + b)`, and a softmax cross-entropy with labels 0, 1, 1, 0,
    /// plus a scalar input `s` scaling the logits: every kind of op of the API once.
    static func loss(_ tape: Tape, W: Tensor, b: Tensor, s: Double) -> (Variable, TensorVariable, TensorVariable, Variable) {
        let w = tape.input(W, name: "W"), bias = tape.input(b, name: "b"), scale = tape.input(s, name: "s")
        let hidden = tanh(matmul(tape.constant(X), transpose(w)) + bias)           // [4, 2]
        let logits = hidden * scale - 0.5 * pow(hidden, 2) / 2                        // broadcast scalar, constants
        let logp = logSoftmax(logits)
        let picked = [logp.element(0, 0), logp.element(1, 1), logp.element(2, 1), logp.element(-1, 0)]
        let total = sum(picked)
        return (-total / 4 + mean(sum(exp(logp), axis: 1)) * 0.1 + sum(softmax(logits)[1]), w, bias, scale)
    }

    func centralDifference(of input: String, element: Int) -> Double {
        var (W, b, s) = (Self.W, Self.b, 1.3)
        let x: Double
        switch input {
        case "W": x = W.elements[element]
        case "b": x = b.elements[element]
        default: x = s
        }
        return TestSupport.centralDifference(at: x) { moved in
            switch input {
            case "W": W.elements[element] = moved
            case "b": b.elements[element] = moved
            default: s = moved
            }
            return Self.loss(Tape(), W: W, b: b, s: s).0.value
        }
    }

    @Test func gradientsOfEveryInputMatchCentralDifferences() throws {
        let tape = Tape()
        let (loss, w, bias, scale) = Self.loss(tape, W: Self.W, b: Self.b, s: 1.3)
        #expect(loss.value.isFinite)
        let gradients = loss.tensorGradient()
        let gW = loss.gradient(withRespectTo: w), gb = loss.gradient(withRespectTo: bias)
        #expect(gW.shape == [2, 3] && gb.shape == [2])
        #expect(gradients[w.id] == gW && gradients[bias.id] == gb)
        for (element, value) in gW.elements.enumerated() {
            #expect(isClose(value, centralDifference(of: "W", element: element), relative: 1e-7, absolute: 1e-9))
        }
        for (element, value) in gb.elements.enumerated() {
            #expect(isClose(value, centralDifference(of: "b", element: element), relative: 1e-7, absolute: 1e-9))
        }
        let gs = try #require(gradients[scale.id])
        #expect(gs.shape == [] && isClose(gs.elements[0], centralDifference(of: "s", element: 0), relative: 1e-7))
    }

    @Test func theBatchClassifierOfTheScenesGivesNumPysNumbers() {
        // Scenes/tensors/batch-softmax.scene through the API; the numbers are its `# expect`
        // lines, from NumPy with a hand-written backward.
        let tape = Tape()
        let W = tape.input(Tensor(shape: [2, 3], elements: [0.2, -0.1, 0.0, 0.1, 0.3, -0.2]), name: "W")
        let b = tape.input(Tensor(shape: [3], elements: [0.0, 0.1, -0.1]), name: "b")
        let X = tape.constant(Tensor(shape: [3, 2], elements: [1, 2, 0.5, -1, -1, 0.5]))
        let logp = logSoftmax(matmul(X, W) + b)
        let loss = -(logp.element(0, 2) + logp.element(1, 0) + logp.element(2, 1)) / 3
        #expect(isClose(loss.value, 1.235433720566235))
        let expectedW = [-0.07462935482144696, 0.3806026228469038, -0.30597326802545693,
                         0.5177299152802624, 0.1294958949132493, -0.6472258101935118]
        for (got, want) in zip(loss.gradient(withRespectTo: W).elements, expectedW) { #expect(isClose(got, want, relative: 1e-12)) }
        let expectedB = [0.001682373383730798, 0.06426631334426627, -0.06594868672799713]
        for (got, want) in zip(loss.gradient(withRespectTo: b).elements, expectedB) { #expect(isClose(got, want, relative: 1e-11)) }
    }

    @Test func aDerivativeIsRecordedAndDifferentiatedAgain() throws {
        // y = Σ tanh(W x)², g = ∂y/∂W recorded on the tape, h = Σ g²: ∂h/∂W against central
        // differences of h computed again with W moved.
        func h(_ W: Tensor) -> (Tape, Variable, TensorVariable, TensorVariable) {
            let tape = Tape()
            let w = tape.input(W, name: "W")
            let x = tape.constant(Tensor(shape: [3], elements: [1.5, -0.5, 0.25]))
            let y = sum(pow(tanh(matmul(w, x)), 2))
            let g = tape.derivative(y, w)
            return (tape, sum(g * g), g, w)
        }
        let (_, total, g, w) = h(Self.W)
        #expect(g.shape == [2, 3])
        let second = total.gradient(withRespectTo: w)
        for element in Self.W.elements.indices {
            let numeric = TestSupport.centralDifference(at: Self.W.elements[element]) { moved in
                var shifted = Self.W
                shifted.elements[element] = moved
                return h(shifted).1.value
            }
            #expect(isClose(second.elements[element], numeric, relative: 1e-6, absolute: 1e-9))
        }
    }

    @Test func indexingAStackAndReshapingKeepTheirGradients() {
        // v = [a, 2a, c] (a stack of scalars), M = reshape(v * v, 1, 3); loss = M[0, 2] + Σ M[:, 1]:
        // c² + 4a², so ∂/∂a = 8a = 4 and ∂/∂c = 2c = −3 at a = 0.5, c = −1.5 (by hand).
        let tape = Tape()
        let a = tape.input(0.5, name: "a"), c = tape.input(-1.5, name: "c")
        let v = stack([a, a * 2, c])
        let M = reshape(v * v, 1, 3)
        let loss = M.element(0, 2) + sum(M[.all, .at(1)])
        #expect(isClose(loss.value, 3.25))
        let gradient = loss.gradient()
        #expect(isClose(gradient[a.id] ?? .nan, 4) && isClose(gradient[c.id] ?? .nan, -3))
    }
}
