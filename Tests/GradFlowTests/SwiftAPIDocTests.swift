import GradFlow
import Testing
import TestSupport

/// The example of docs/swift-api.md, kept compiling and checked against the numbers it prints.
@Suite struct SwiftAPIDocTests {
    @Test func theExamplePrintsWhatItSays() {
        let tape = Tape()
        let x1 = tape.input(2, name: "x1")
        let x2 = tape.input(5, name: "x2")
        let f = log(x1) + x1 * x2 - sin(x2)
        #expect(isClose(f.value, 11.652071455223084))
        let gradient = f.gradient()
        #expect(isClose(gradient[x1.id]!, 5.5) && isClose(gradient[x2.id]!, 1.7163378145367738))
        let dfdx1 = tape.derivative(f, x1)
        let d2fdx1 = tape.derivative(dfdx1, x1)
        #expect(isClose(dfdx1.value, 5.5) && isClose(d2fdx1.value, -0.25))
        let graph = tape.graph
        let tangents = graph.tangents(withRespectTo: x1.id)
        #expect(isClose(tangents[f.id], 5.5))
        let jacobian = graph.jacobianByReverseMode(outputs: [f.id])
        #expect(jacobian.passes == 1 && isClose(jacobian.entries[0][0], 5.5))
        let timeline = Timeline(graph: graph, mode: .reverse(output: f.id))
        var arrivals: [(String, Double, Double)] = []
        for k in 1...timeline.count {
            if case .contribute(let c) = timeline.step(k) {
                arrivals.append((graph.label(of: c.to), c.adjointBefore, c.adjointAfter))
            }
        }
        let intoX1 = arrivals.filter { $0.0 == "x1" }
        #expect(intoX1.count == 2 && isClose(intoX1[0].2, 5) && isClose(intoX1[1].2, 5.5))
    }

    /// The tensor example of docs/swift-api.md: the numbers of Scenes/tensors/batch-softmax.scene
    /// (from NumPy), and its second derivative against central differences.
    @Test func theTensorExamplePrintsWhatItSays() throws {
        func record(_ values: [Double]) -> (Tape, TensorVariable, Variable) {
            let tape = Tape()
            let W = tape.input(Tensor(shape: [2, 3], elements: values), name: "W")
            let b = tape.input(Tensor(shape: [3], elements: [0.0, 0.1, -0.1]), name: "b")
            let X = tape.constant(Tensor(shape: [3, 2], elements: [1, 2, 0.5, -1, -1, 0.5]))
            let logp = logSoftmax(matmul(X, W) + b)
            let loss = -(logp.element(0, 2) + logp.element(1, 0) + logp.element(2, 1)) / 3
            return (tape, W, loss)
        }
        let start = [0.2, -0.1, 0.0, 0.1, 0.3, -0.2]
        let (tape, W, loss) = record(start)
        #expect(isClose(loss.value, 1.235433720566235))
        let gradient = loss.gradient(withRespectTo: W).elements
        for (got, want) in zip(gradient, [-0.07462935482144696, 0.3806026228469038, -0.30597326802545693,
                                          0.5177299152802624, 0.1294958949132493, -0.6472258101935118]) {
            #expect(isClose(got, want, relative: 1e-12))
        }
        #expect(loss.tensorGradient().count == 2)
        let gW = tape.derivative(loss, W)
        for (got, want) in zip(gW.value.elements, gradient) { #expect(isClose(got, want, relative: 1e-12)) }
        let curvature = sum(gW * gW).gradient(withRespectTo: W)
        for element in start.indices {
            let numeric = centralDifference(at: start[element]) { moved in
                var values = start
                values[element] = moved
                let (_, movedW, movedLoss) = record(values)
                return movedLoss.gradient(withRespectTo: movedW).elements.reduce(0) { $0 + $1 * $1 }
            }
            #expect(isClose(curvature.elements[element], numeric, relative: 1e-6, absolute: 1e-9))
        }
    }
}
