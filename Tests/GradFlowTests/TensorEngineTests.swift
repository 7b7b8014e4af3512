import Foundation
import GradFlow
import Testing
import TestSupport

/// Tensor nodes worked by hand: values, gradients, shapes, and the errors for shapes that do not fit.
@Suite struct TensorEngineTests {
    func expectClose(_ actual: Tensor, _ shape: [Int], _ elements: [Double], _ comment: Comment? = nil) {
        #expect(actual.shape == shape, comment)
        #expect(actual.elements.count == elements.count, comment)
        for (got, want) in zip(actual.elements, elements) {
            #expect(isClose(got, want, relative: 1e-12, absolute: 1e-14), "\(got) vs \(want) \(comment?.rawValue ?? "")")
        }
    }

    @Test func pytorchTutorialGivesOut27AndGradient4Point5() throws {
        // x = ones(2, 2); y = x + 2; z = y * y * 3; out = z.mean(): each z is 3 · 3² = 27, and
        // ∂out/∂x = (1/4) · 6y = 4.5 for every element (PyTorch's autograd tutorial).
        var graph = Graph()
        let x = graph.appendTensorLeaf(.input, Tensor(repeating: 1, shape: [2, 2]), name: "x")
        let y = graph.appendElementwise(.addConstant, x, parameter: 2)
        let yy = try graph.appendElementwise(.multiply, y, y)
        let z = graph.appendElementwise(.multiplyConstant, yy, parameter: 3)
        let out = try graph.appendReduction(.mean, z)
        #expect(graph.shape(of: out) == [])
        #expect(isClose(graph.values[out], 27))
        let gradient = graph.tensorGradient(of: out)
        #expect(gradient.count == 1 && gradient[0].input == x)
        expectClose(gradient[0].derivative, [2, 2], [4.5, 4.5, 4.5, 4.5])
    }

    @Test func matrixProductAndItsAdjointsByHand() throws {
        // A·B = [[58, 64], [139, 154]]. For L = sum(A·B): Ā = 1 · Bᵀ summed, row p of Ā is the row
        // sums of B: [15, 19, 23]; B̄[p, j] = Σᵢ A[i, p]: [[5, 5], [7, 7], [9, 9]].
        var graph = Graph()
        let a = graph.appendTensorLeaf(.input, Tensor(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6]))
        let b = graph.appendTensorLeaf(.input, Tensor(shape: [3, 2], elements: [7, 8, 9, 10, 11, 12]))
        let product = try graph.appendMatrixProduct(a, b)
        expectClose(graph.tensor(of: product), [2, 2], [58, 64, 139, 154])
        let loss = try graph.appendReduction(.sum, product)
        #expect(isClose(graph.values[loss], 415))
        let adjoints = graph.tensorAdjoints(from: loss)
        expectClose(adjoints.adjoint(of: a, in: graph), [2, 3], [15, 19, 23, 15, 19, 23])
        expectClose(adjoints.adjoint(of: b, in: graph), [3, 2], [5, 5, 7, 7, 9, 9])
    }

    @Test func vectorProductsDropTheAddedDimension() throws {
        var graph = Graph()
        let v = graph.appendTensorLeaf(.input, Tensor(shape: [2], elements: [1, 2]))
        let m = graph.appendTensorLeaf(.input, Tensor(shape: [2, 2], elements: [1, 2, 3, 4]))
        expectClose(try graph.recorded { try $0.appendMatrixProduct(v, v) }, [], [5])
        expectClose(try graph.recorded { try $0.appendMatrixProduct(m, v) }, [2], [5, 11])
        expectClose(try graph.recorded { try $0.appendMatrixProduct(v, m) }, [2], [7, 10])
    }

    @Test func broadcastAddSumsTheBiasGradientOverTheBatch() throws {
        // Z = X @ W + b for a batch of 3 rows: b̄ = Σ_rows Z̄, here 3 for each entry of b.
        var graph = Graph()
        let x = graph.appendTensorLeaf(.constant, Tensor(shape: [3, 2], elements: [1, 0, 0, 1, 1, 1]))
        let w = graph.appendTensorLeaf(.input, Tensor(shape: [2, 2], elements: [0.5, -1, 2, 0.25]))
        let b = graph.appendTensorLeaf(.input, Tensor(shape: [2], elements: [0.1, -0.1]))
        let z = try graph.appendElementwise(.add, try graph.appendMatrixProduct(x, w), b)
        expectClose(graph.tensor(of: z), [3, 2], [0.6, -1.1, 2.1, 0.15, 2.6, -0.85])
        let total = try graph.appendReduction(.sum, z)
        let adjoints = graph.tensorAdjoints(from: total)
        expectClose(adjoints.adjoint(of: b, in: graph), [2], [3, 3])
        // W̄ = Xᵀ · 1: column sums of X, [2, 2] in each column.
        expectClose(adjoints.adjoint(of: w, in: graph), [2, 2], [2, 2, 2, 2])
    }

    @Test func softmaxOfAVectorByHand() throws {
        // softmax([0, ln 3]) = [1/4, 3/4]; for L = y[1]: x̄ = y ⊙ (ē − y·ē) = [−3/16, 3/16].
        var graph = Graph()
        let x = graph.appendTensorLeaf(.input, Tensor(shape: [2], elements: [0, Foundation.log(3)]))
        let y = try graph.appendNormalization(.softmax, x)
        expectClose(graph.tensor(of: y), [2], [0.25, 0.75])
        let picked = try graph.appendIndex(y, [.at(-1)])
        expectClose(graph.tensorAdjoints(from: picked).adjoint(of: x, in: graph), [2], [-3.0 / 16, 3.0 / 16])
        let lse = try graph.appendNormalization(.logSumExp, x)
        #expect(isClose(graph.values[lse], Foundation.log(4)))
    }

    @Test func reductionsAndIndexingByHand() throws {
        var graph = Graph()
        let a = graph.appendTensorLeaf(.input, Tensor(shape: [2, 3], elements: [1, 5, 3, 4, 2, 6]))
        expectClose(try graph.recorded { try $0.appendReduction(.sum, a, axis: 0) }, [3], [5, 7, 9])
        expectClose(try graph.recorded { try $0.appendReduction(.mean, a, axis: 1) }, [2], [3, 4])
        expectClose(try graph.recorded { try $0.appendReduction(.max, a, axis: -1) }, [2], [5, 6])
        expectClose(try graph.recorded { try $0.appendIndex(a, [.at(-1)]) }, [3], [4, 2, 6])
        expectClose(try graph.recorded { try $0.appendIndex(a, [.all, .at(1)]) }, [2], [5, 2])
        expectClose(try graph.recorded { try $0.appendIndex(a, [.at(0), .at(-1)]) }, [], [3])
        expectClose(try graph.recorded { try $0.appendTranspose(a) }, [3, 2], [1, 4, 5, 2, 3, 6])
        expectClose(try graph.recorded { try $0.appendReshape(a, to: [3, 2]) }, [3, 2], [1, 5, 3, 4, 2, 6])
        let largest = try graph.appendReduction(.max, a)
        #expect(isClose(graph.values[largest], 6))
        expectClose(graph.tensorAdjoints(from: largest).adjoint(of: a, in: graph), [2, 3], [0, 0, 0, 0, 0, 1])
    }

    @Test func scalarNodesAfterATensorReductionSweepAsBefore() throws {
        // loss = mean(x * x) * 0.5 + w · mean(x): a scalar tail on a tensor head.
        var graph = Graph()
        let x = graph.appendTensorLeaf(.input, Tensor(shape: [2], elements: [1, 3]))
        let w = graph.appendLeaf(value: 2)
        let square = try graph.appendElementwise(.multiply, x, x)
        let half = graph.append(.multiplyConstant, try graph.appendReduction(.mean, square), parameter: 0.5)
        let loss = graph.append(.add, half, graph.append(.multiply, w, try graph.appendReduction(.mean, x)))
        #expect(isClose(graph.values[loss], 2.5 + 4))
        // ∂/∂x = x/2 + w/2 = [1.5, 2.5]; ∂/∂w = mean(x) = 2.
        let adjoints = graph.tensorAdjoints(from: loss)
        expectClose(adjoints.adjoint(of: x, in: graph), [2], [1.5, 2.5])
        #expect(isClose(adjoints.scalars[w], 2))
        #expect(isClose(graph.adjoints(from: loss)[w], 2), "the scalar sweep's answer on a graph with tensors")
    }

    @Test func aScalarGraphHasNoTensorStorage() {
        var graph = Graph()
        let x = graph.appendLeaf(value: 2)
        graph.append(.tanh, x)
        #expect(!graph.hasTensors)
        #expect(graph.tensorStorage.isEmpty)
        #expect(graph.shape(of: x) == [])
    }

    @Test func shapeErrorsNameBothShapes() throws {
        var graph = Graph()
        let a = graph.appendTensorLeaf(.input, Tensor(repeating: 1, shape: [2, 3]))
        let v = graph.appendTensorLeaf(.input, Tensor(repeating: 1, shape: [2]))
        #expect(throws: TensorShapeError("cannot compute [2, 3] @ [2]: inner dimensions 3 and 2 differ")) {
            try graph.appendMatrixProduct(a, v)
        }
        #expect(throws: TensorShapeError("cannot compute [2, 3] + [2]: dimensions 3 and 2 differ and neither is 1, so the shapes do not broadcast")) {
            try graph.appendElementwise(.add, a, v, symbol: "+")
        }
        #expect(throws: TensorShapeError("cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)")) {
            try graph.appendReshape(a, to: [4, 2])
        }
        #expect(throws: TensorShapeError("index 2 is out of range for axis 0 of [2, 3] (size 2: from -2 to 1)")) {
            try graph.appendIndex(a, [.at(2)])
        }
        #expect(throws: TensorShapeError("cannot take sum(axis: 2) of [2, 3]: axis 2 is out of range; axes of [2, 3] are 0 to 1 (or -2 to -1 from the end)")) {
            try graph.appendReduction(.sum, a, axis: 2)
        }
        #expect(throws: TensorShapeError("cannot stack [2, 3] and [2]: every entry of a list must have the same shape")) {
            try graph.appendStack([a, v])
        }
        let count = graph.count
        _ = try? graph.appendMatrixProduct(a, v)
        #expect(graph.count == count, "a refused op records nothing")
    }

    @Test func nestedArraysAreRowMajor() {
        let t = Tensor(shape: [2, 2, 2], elements: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(t.nested { String(Int($0)) } == "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]")
        #expect(Tensor(scalar: 3).nested { String(Int($0)) } == "3")
    }
}

extension Graph {
    /// The value of the node `append` records (read after recording, not from a copy made before).
    mutating func recorded(_ append: (inout Graph) throws -> NodeID) rethrows -> Tensor {
        let node = try append(&self)
        return tensor(of: node)
    }
}
