import Foundation

/// NumPy's broadcasting rules: shapes are aligned at their last axis; along each axis the sizes
/// must be equal or one of them 1 (a missing axis counts as 1), and the result takes the larger.
enum Broadcast {
    /// The broadcast shape of `a` and `b`, or nil when they do not broadcast.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let x = size(a, axis, rank), y = size(b, axis, rank)
            guard x == y || x == 1 || y == 1 else { return nil }
            result[axis] = x == 1 ? y : x
        }
        return result
    }

    /// Why `a` and `b` do not broadcast, naming the first axis (from the end) that differs.
    static func mismatch(_ a: [Int], _ b: [Int]) -> String {
        let rank = Swift.max(a.count, b.count)
        for axis in (0..<rank).reversed() {
            let x = size(a, axis, rank), y = size(b, axis, rank)
            if x != y, x != 1, y != 1 {
                return "dimensions \(x) and \(y) differ and neither is 1, so the shapes do not broadcast"
            }
        }
        return "the shapes do not broadcast"
    }

    /// The size of `shape` along `axis` of a rank-`rank` alignment (1 where `shape` has no such axis).
    private static func size(_ shape: [Int], _ axis: Int, _ rank: Int) -> Int {
        let own = axis - (rank - shape.count)
        return own >= 0 ? shape[own] : 1
    }

    /// For each element of the broadcast result (row-major), the offset of the `operand` element
    /// it reads.
    static func offsets(of operand: [Int], in result: [Int]) -> [Int] {
        let count = Tensor.count(of: result)
        if operand == result { return Array(0..<count) }
        if Tensor.count(of: operand) == 1 { return [Int](repeating: 0, count: count) }
        let rank = result.count
        let ownStrides = Tensor.strides(of: operand)
        // The operand's stride along each axis of the result; 0 where it is repeated.
        var strides = [Int](repeating: 0, count: rank)
        for axis in 0..<rank {
            let own = axis - (rank - operand.count)
            if own >= 0, operand[own] != 1 { strides[axis] = ownStrides[own] }
        }
        var offsets = [Int](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<count {
            offsets[i] = offset
            // Advance the multi-index like an odometer, keeping the offset in step.
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < result[axis] { break }
                offset -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return offsets
    }
}

/// The arithmetic of tensor nodes, shared by the forward recording and the backward rules.
enum TensorKernels {
    /// A shape seen as `outer × size × inner` around one axis (the whole tensor when the axis is
    /// nil): element `(o, d, i)` sits at `(o · size + d) · inner + i`, and its row in the reduced
    /// tensor is `o · inner + i`.
    struct AxisLayout {
        let outer: Int, size: Int, inner: Int
        let reducedShape: [Int]

        init(shape: [Int], axis: Int?) {
            guard let axis else {
                (outer, size, inner, reducedShape) = (1, Tensor.count(of: shape), 1, [])
                return
            }
            outer = Tensor.count(of: Array(shape[..<axis]))
            size = shape[axis]
            inner = Tensor.count(of: Array(shape[(axis + 1)...]))
            var reduced = shape
            reduced.remove(at: axis)
            reducedShape = reduced
        }

        /// Calls `body(offset, row)` for every element, row by row of the reduced tensor.
        func forEach(_ body: (_ offset: Int, _ row: Int) -> Void) {
            for o in 0..<outer {
                for i in 0..<inner {
                    for d in 0..<size { body((o * size + d) * inner + i, o * inner + i) }
                }
            }
        }
    }

    /// `axis` counted from the start (a negative one counts from the end).
    static func resolve(axis: Int, of shape: [Int], in operation: String) throws(TensorShapeError) -> Int {
        guard axis >= -shape.count, axis < shape.count else {
            let axes = shape.isEmpty ? "a scalar has no axes" : "axes of \(Tensor.describe(shape)) are 0 to \(shape.count - 1) (or \(-shape.count) to -1 from the end)"
            throw TensorShapeError("cannot take \(operation) of \(Tensor.describe(shape)): axis \(axis) is out of range; \(axes)")
        }
        return axis < 0 ? axis + shape.count : axis
    }

    /// Sum, mean or max along the layout's axis; for max, the offset each result came from.
    static func reduce(_ reduction: TensorOp.Reduction, _ x: [Double], _ layout: AxisLayout) -> ([Double], [Int]) {
        let rows = layout.outer * layout.inner
        var result = [Double](repeating: reduction == .max ? -.infinity : 0, count: rows)
        var sources = reduction == .max ? [Int](repeating: -1, count: rows) : []
        layout.forEach { offset, row in
            switch reduction {
            case .sum, .mean: result[row] += x[offset]
            case .max:
                // The first largest wins ties; a NaN is taken as the maximum so it is not hidden.
                if sources[row] < 0 || x[offset] > result[row] || (x[offset].isNaN && !result[row].isNaN) {
                    (result[row], sources[row]) = (x[offset], offset)
                }
            }
        }
        if reduction == .mean { for row in 0..<rows { result[row] /= Double(layout.size) } }
        return (result, sources)
    }

    /// The softmax along the layout's axis and the log-sum-exp of each row, both after
    /// subtracting the row's largest element.
    static func softmax(_ x: [Double], _ layout: AxisLayout) -> (softmax: [Double], logSumExp: [Double]) {
        let rows = layout.outer * layout.inner
        var largest = [Double](repeating: -.infinity, count: rows)
        layout.forEach { offset, row in largest[row] = Swift.max(largest[row], x[offset]) }
        // A row of −∞ only: shift by 0 so that exp gives 0s rather than NaN from −∞ − −∞.
        for row in 0..<rows where !largest[row].isFinite { largest[row] = largest[row].isNaN ? .nan : 0 }
        var exponentials = [Double](repeating: 0, count: x.count)
        var total = [Double](repeating: 0, count: rows)
        layout.forEach { offset, row in
            exponentials[offset] = Foundation.exp(x[offset] - largest[row])
            total[row] += exponentials[offset]
        }
        layout.forEach { offset, row in exponentials[offset] /= total[row] }
        let logSumExp = (0..<rows).map { largest[$0] + Foundation.log(total[$0]) }
        return (exponentials, logSumExp)
    }

    /// The shape an index leaves and, for each of its elements, the source offset.
    static func gather(_ shape: [Int], _ entries: [TensorIndex]) -> (shape: [Int], sources: [Int]) {
        let strides = Tensor.strides(of: shape)
        var base = 0
        var keptSizes: [Int] = [], keptStrides: [Int] = []
        for (axis, entry) in entries.enumerated() {
            switch entry {
            case .at(let position): base += position * strides[axis]
            case .all: keptSizes.append(shape[axis]); keptStrides.append(strides[axis])
            }
        }
        var sources = [base]
        for (size, stride) in zip(keptSizes, keptStrides) {
            sources = sources.flatMap { start in (0..<size).map { start + $0 * stride } }
        }
        return (keptSizes, sources)
    }

    /// A matrix transposed; a vector or scalar as it is.
    static func transposed(_ x: Tensor) -> Tensor {
        guard x.rank == 2 else { return x }
        let (rows, columns) = (x.shape[0], x.shape[1])
        var elements = [Double](repeating: 0, count: x.count)
        for r in 0..<rows { for c in 0..<columns { elements[c * rows + r] = x.elements[r * columns + c] } }
        return Tensor(shape: [columns, rows], elements: elements)
    }

    /// `x` as an `m × k` matrix (a vector is one row) and `y` as `k × n` (a vector is one column).
    static func productDimensions(_ x: [Int], _ y: [Int]) -> (m: Int, k: Int, n: Int) {
        (x.count == 2 ? x[0] : 1, x.last!, y.count == 2 ? y[1] : 1)
    }

    /// `x @ y` through ``MatrixProduct/gemm``.
    static func product(_ x: Tensor, _ y: Tensor) -> Tensor {
        let (m, k, n) = productDimensions(x.shape, y.shape)
        var shape: [Int] = []
        if x.rank == 2 { shape.append(m) }
        if y.rank == 2 { shape.append(n) }
        var elements = [Double](repeating: 0, count: m * n)
        gemm(false, false, m, n, k, x.elements, k, y.elements, n, into: &elements, n)
        return Tensor(shape: shape, elements: elements)
    }

    /// `c += op(a) · op(b)`: ``MatrixProduct/gemm`` over arrays.
    static func gemm(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                     _ a: [Double], _ lda: Int, _ b: [Double], _ ldb: Int, into c: inout [Double], _ ldc: Int) {
        guard m > 0, n > 0, k > 0 else { return }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    MatrixProduct.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                       alpha: 1, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                                       beta: 1, c: c.baseAddress!, ldc: ldc)
                }
            }
        }
    }
}
