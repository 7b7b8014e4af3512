import GradFlow
#if canImport(Glibc)
import Glibc
#endif

/// W5: a 784-128-10 MLP with tanh and softmax cross-entropy on a batch of 32, the data drawn with
/// gradflow's `randn` exactly as Benchmarks/python/tensors.py draws them for NumPy and PyTorch:
/// `X = randn(1, 32, 784)`, `W1 = randn(2, 784, 128) / 28`, `W2 = randn(3, 128, 10) / 16`, zero
/// biases, one-hot labels `i mod 10`; `L = −Σ Y ⊙ log_softmax(tanh(X W1 + b1) W2 + b2) / 32`.
enum TensorMLP {
    static let (batch, inputs, hidden, classes) = (32, 784, 128, 10)

    struct Data {
        let x: [Double], y: [Double], w1: [Double], b1: [Double], w2: [Double], b2: [Double]
    }

    static let data: Data = {
        Data(x: StandardNormal.samples(seed: 1, count: batch * inputs),
             y: (0..<batch * classes).map { $0 % classes == ($0 / classes) % classes ? 1 : 0 },
             w1: StandardNormal.samples(seed: 2, count: inputs * hidden).map { $0 / 28 },
             b1: [Double](repeating: 0, count: hidden),
             w2: StandardNormal.samples(seed: 3, count: hidden * classes).map { $0 / 16 },
             b2: [Double](repeating: 0, count: classes))
    }()

    /// The loss and the gradients of W1, b1, W2, b2 (row-major), and the nodes recorded.
    struct Result {
        let loss: Double
        let gradients: [[Double]]
        var nodes = 0
    }

    /// Forward and backward written out, every product through `MatrixProduct.gemm`.
    static func handwritten() -> Result {
        let d = data
        var a = [Double](repeating: 0, count: batch * hidden)
        gemm(false, false, batch, hidden, inputs, d.x, inputs, d.w1, hidden, &a, hidden)
        var h = a
        for i in 0..<batch { for j in 0..<hidden { h[i * hidden + j] = tanh(a[i * hidden + j] + d.b1[j]) } }
        var logits = [Double](repeating: 0, count: batch * classes)
        gemm(false, false, batch, classes, hidden, h, hidden, d.w2, classes, &logits, classes)
        var loss = 0.0
        var logitsBar = [Double](repeating: 0, count: batch * classes)
        for i in 0..<batch {
            var row = (0..<classes).map { logits[i * classes + $0] + d.b2[$0] }
            let top = row.max()!
            row = row.map { $0 - top }
            let total = row.reduce(0) { $0 + exp($1) }
            for c in 0..<classes {
                let label = d.y[i * classes + c]
                loss -= label * (row[c] - log(total)) / Double(batch)
                logitsBar[i * classes + c] = (exp(row[c]) / total - label) / Double(batch)  // rows of Y sum to 1
            }
        }
        var w2Bar = [Double](repeating: 0, count: hidden * classes)
        gemm(true, false, hidden, classes, batch, h, hidden, logitsBar, classes, &w2Bar, classes)
        var hBar = [Double](repeating: 0, count: batch * hidden)
        gemm(false, true, batch, hidden, classes, logitsBar, classes, d.w2, classes, &hBar, hidden)
        var aBar = hBar
        for k in aBar.indices { aBar[k] = hBar[k] * (1 - h[k] * h[k]) }
        var w1Bar = [Double](repeating: 0, count: inputs * hidden)
        gemm(true, false, inputs, hidden, batch, d.x, inputs, aBar, hidden, &w1Bar, hidden)
        let b1Bar = (0..<hidden).map { j in (0..<batch).reduce(0) { $0 + aBar[$1 * hidden + j] } }
        let b2Bar = (0..<classes).map { c in (0..<batch).reduce(0) { $0 + logitsBar[$1 * classes + c] } }
        return Result(loss: loss, gradients: [w1Bar, b1Bar, w2Bar, b2Bar])
    }

    /// Record through the engine's `Graph` tensor API, then one reverse sweep.
    static func engine() -> Result {
        let d = data
        var graph = Graph()
        do {
            let x = graph.appendTensorLeaf(.constant, Tensor(shape: [batch, inputs], elements: d.x), name: "X")
            let y = graph.appendTensorLeaf(.constant, Tensor(shape: [batch, classes], elements: d.y), name: "Y")
            let w1 = graph.appendTensorLeaf(.input, Tensor(shape: [inputs, hidden], elements: d.w1), name: "W1")
            let b1 = graph.appendTensorLeaf(.input, Tensor(shape: [hidden], elements: d.b1), name: "b1")
            let w2 = graph.appendTensorLeaf(.input, Tensor(shape: [hidden, classes], elements: d.w2), name: "W2")
            let b2 = graph.appendTensorLeaf(.input, Tensor(shape: [classes], elements: d.b2), name: "b2")
            let h = graph.appendElementwise(.tanh, try graph.appendElementwise(.add, try graph.appendMatrixProduct(x, w1), b1))
            let logits = try graph.appendElementwise(.add, try graph.appendMatrixProduct(h, w2), b2)
            let picked = try graph.appendElementwise(.multiply, y, try graph.appendNormalization(.logSoftmax, logits))
            let loss = graph.append(.multiplyConstant, try graph.appendReduction(.sum, picked), parameter: -1 / Double(batch))
            let adjoints = graph.tensorAdjoints(from: loss)
            return Result(loss: graph.values[loss],
                          gradients: [w1, b1, w2, b2].map { adjoints.adjoint(of: $0, in: graph).elements },
                          nodes: graph.count)
        } catch {
            verify(false, "W5 does not record: \(error)")
            fatalError()
        }
    }

    static func check(_ result: Result, against reference: Result, _ variant: String) {
        verify(isNear(result.loss, reference.loss, relative: 1e-10), "\(variant): W5 loss \(result.loss) is not \(reference.loss)")
        for (got, want) in zip(result.gradients, reference.gradients) {
            let scale = want.reduce(0) { max($0, abs($1)) }
            verify(got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= 1e-10 * scale },
                   "\(variant): a W5 gradient differs from the hand-written one")
        }
    }

    private static func gemm(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: [Double], _ lda: Int,
                             _ b: [Double], _ ldb: Int, _ c: inout [Double], _ ldc: Int) {
        MatrixProduct.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda,
                           b: b, ldb: ldb, beta: 0, c: &c, ldc: ldc)
    }
}
