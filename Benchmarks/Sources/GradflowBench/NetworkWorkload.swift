import _Differentiation
import GradFlow

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// W2, a small network in scalar nodes: 2 inputs → 16 tanh → 16 tanh → 1 linear output, and the
/// squared loss averaged over 100 points. Its 337 weights and biases are the inputs.
///
/// Everything is deterministic and written with `sin`/`cos` only, so the Python scripts and the
/// scene generator (`Benchmarks/workloads.py`) build bit-for-bit the same numbers:
/// parameter p = sin(0.7·p + 0.3)/√fan-in, in the order layer 1 (per neuron: two weights, then the
/// bias), layer 2 (sixteen weights, bias), output (sixteen weights, bias); point k is
/// x₀ = 0.5 + 0.45·cos(0.37k + 0.1), x₁ = 0.5 + 0.45·sin(0.61k + 0.2), target y = x₀·x₁.
enum Network {
    static let width = 16
    static let pointCount = 100
    static let parameterCount = width * 3 + width * (width + 1) + (width + 1)

    /// Where each layer's parameters start in the flat parameter list.
    static let secondLayerStart = width * 3
    static let outputLayerStart = secondLayerStart + width * (width + 1)

    static let parameters: [Double] = (0..<parameterCount).map { p in
        let fanIn = p < secondLayerStart ? 2.0 : Double(width)
        return sin(0.7 * Double(p) + 0.3) / fanIn.squareRoot()
    }

    static let points: [(x0: Double, x1: Double, y: Double)] = (0..<pointCount).map { k in
        let x0 = 0.5 + 0.45 * cos(0.37 * Double(k) + 0.1)
        let x1 = 0.5 + 0.45 * sin(0.61 * Double(k) + 0.2)
        return (x0, x1, x0 * x1)
    }

    /// The nodes the engine records for one evaluation of the loss (counted, not assumed).
    static var nodeCount: Int {
        var graph = Graph()
        _ = lossNode(in: &graph)
        return graph.count
    }

    /// Checks a gradient against the hand-written one (the summation order differs slightly).
    static func check(_ result: (loss: Double, gradient: [Double]), against reference: (loss: Double, gradient: [Double]), _ variant: String) {
        verify(isNear(result.loss, reference.loss, relative: 1e-12), "W2 \(variant): loss \(result.loss) is not \(reference.loss)")
        for p in 0..<parameterCount {
            let scale = max(abs(reference.gradient[p]), 1e-12)
            verify(abs(result.gradient[p] - reference.gradient[p]) <= 1e-9 * scale + 1e-15,
                   "W2 \(variant): ∂loss/∂parameter[\(p)] = \(result.gradient[p]), hand-written \(reference.gradient[p])")
        }
    }

    // MARK: The engine

    /// The engine through its Swift API.
    static func engineTape() -> (loss: Double, gradient: [Double]) {
        let tape = Tape()
        let p = parameters.map { tape.input($0) }
        var total: Variable? = nil
        for point in points {
            var hidden1: [Variable] = []
            hidden1.reserveCapacity(width)
            for j in 0..<width {
                hidden1.append(tanh(p[3 * j] * point.x0 + p[3 * j + 1] * point.x1 + p[3 * j + 2]))
            }
            var hidden2: [Variable] = []
            hidden2.reserveCapacity(width)
            for j in 0..<width {
                let row = secondLayerStart + j * (width + 1)
                var sum = p[row] * hidden1[0]
                for i in 1..<width { sum = sum + p[row + i] * hidden1[i] }
                hidden2.append(tanh(sum + p[row + width]))
            }
            var output = p[outputLayerStart] * hidden2[0]
            for i in 1..<width { output = output + p[outputLayerStart + i] * hidden2[i] }
            output = output + p[outputLayerStart + width]
            let squaredError = pow(output - point.y, 2)
            total = total.map { $0 + squaredError } ?? squaredError
        }
        let loss = total! / Double(pointCount)
        let gradient = loss.gradient()
        return (loss.value, p.map { gradient[$0.id]! })
    }

    /// The engine through the ``Graph`` API: node ids, reserved capacity, one sweep.
    static func engineGraph() -> (loss: Double, gradient: [Double]) {
        var graph = Graph()
        graph.reserveCapacity(70_000)
        let loss = lossNode(in: &graph)
        let adjoint = graph.adjoints(from: loss)
        return (graph.values[loss], (0..<parameterCount).map { adjoint[$0] })
    }

    /// Records the loss into `graph` (parameters first, as nodes 0..<337); returns the loss node.
    static func lossNode(in graph: inout Graph) -> NodeID {
        for value in parameters { graph.appendLeaf(.input, value: value) }
        var total: NodeID? = nil
        var hidden1 = [NodeID](repeating: 0, count: width), hidden2 = hidden1
        for point in points {
            for j in 0..<width {
                let a = graph.append(.multiplyConstant, 3 * j, parameter: point.x0)
                let b = graph.append(.multiplyConstant, 3 * j + 1, parameter: point.x1)
                let sum = graph.append(.add, graph.append(.add, a, b), 3 * j + 2)
                hidden1[j] = graph.append(.tanh, sum)
            }
            for j in 0..<width {
                let row = secondLayerStart + j * (width + 1)
                var sum = graph.append(.multiply, row, hidden1[0])
                for i in 1..<width { sum = graph.append(.add, sum, graph.append(.multiply, row + i, hidden1[i])) }
                hidden2[j] = graph.append(.tanh, graph.append(.add, sum, row + width))
            }
            var output = graph.append(.multiply, outputLayerStart, hidden2[0])
            for i in 1..<width {
                output = graph.append(.add, output, graph.append(.multiply, outputLayerStart + i, hidden2[i]))
            }
            output = graph.append(.add, output, outputLayerStart + width)
            let error = graph.append(.addConstant, output, parameter: -point.y)
            let squaredError = graph.append(.powerConstant, error, parameter: 2)
            total = total.map { graph.append(.add, $0, squaredError) } ?? squaredError
        }
        return graph.append(.divideByConstant, total!, parameter: Double(pointCount))
    }

    // MARK: By hand

    /// Backpropagation written by hand, layer by layer, as a textbook would.
    static func handwritten() -> (loss: Double, gradient: [Double]) {
        let p = parameters
        var gradient = [Double](repeating: 0, count: parameterCount)
        var total = 0.0
        var hidden1 = [Double](repeating: 0, count: width), hidden2 = hidden1
        var hidden1Bar = hidden1
        for point in points {
            for j in 0..<width { hidden1[j] = tanh(p[3 * j] * point.x0 + p[3 * j + 1] * point.x1 + p[3 * j + 2]) }
            for j in 0..<width {
                let row = secondLayerStart + j * (width + 1)
                var sum = p[row] * hidden1[0]
                for i in 1..<width { sum += p[row + i] * hidden1[i] }
                hidden2[j] = tanh(sum + p[row + width])
            }
            var output = p[outputLayerStart] * hidden2[0]
            for i in 1..<width { output += p[outputLayerStart + i] * hidden2[i] }
            output += p[outputLayerStart + width]
            let error = output - point.y
            total += error * error
            // Backward: ∂loss/∂output = 2·error/100.
            let outputBar = 2 * error / Double(pointCount)
            gradient[outputLayerStart + width] += outputBar
            for i in 0..<width { hidden1Bar[i] = 0 }
            for j in 0..<width {
                gradient[outputLayerStart + j] += outputBar * hidden2[j]
                let preActivationBar = outputBar * p[outputLayerStart + j] * (1 - hidden2[j] * hidden2[j])
                let row = secondLayerStart + j * (width + 1)
                gradient[row + width] += preActivationBar
                for i in 0..<width {
                    gradient[row + i] += preActivationBar * hidden1[i]
                    hidden1Bar[i] += preActivationBar * p[row + i]
                }
            }
            for j in 0..<width {
                let preActivationBar = hidden1Bar[j] * (1 - hidden1[j] * hidden1[j])
                gradient[3 * j] += preActivationBar * point.x0
                gradient[3 * j + 1] += preActivationBar * point.x1
                gradient[3 * j + 2] += preActivationBar
            }
        }
        return (total / Double(pointCount), gradient)
    }

    // MARK: Swift's differentiation

    /// `valueWithPullback` over the same loops, the parameters as one differentiable array.
    static func nativeAD() -> (loss: Double, gradient: [Double]) {
        let (loss, pullback) = valueWithPullback(at: parameters) { networkLoss($0) }
        return (loss, pullback(1).base)
    }
}

@differentiable(reverse)
private func networkLoss(_ p: [Double]) -> Double {
    let width = withoutDerivative(at: Network.width)
    let secondLayerStart = withoutDerivative(at: Network.secondLayerStart)
    let outputLayerStart = withoutDerivative(at: Network.outputLayerStart)
    var total = 0.0
    for point in withoutDerivative(at: Network.points) {
        var hidden1: [Double] = []
        for j in 0..<width { hidden1.append(tanh(p[3 * j] * point.x0 + p[3 * j + 1] * point.x1 + p[3 * j + 2])) }
        var hidden2: [Double] = []
        for j in 0..<width {
            let row = secondLayerStart + j * (width + 1)
            var sum = p[row] * hidden1[0]
            for i in 1..<width { sum = sum + p[row + i] * hidden1[i] }
            hidden2.append(tanh(sum + p[row + width]))
        }
        var output = p[outputLayerStart] * hidden2[0]
        for i in 1..<width { output = output + p[outputLayerStart + i] * hidden2[i] }
        output = output + p[outputLayerStart + width]
        let error = output - point.y
        total = total + error * error
    }
    return total / Double(Network.pointCount)
}
