import _Differentiation
import GradFlow

/// W1, the chain: `v = x`, then N times `v = relu(v · w + x) · 0.5`, at x = 0.5, w = 0.9.
///
/// Four nodes per iteration (multiply, add, relu, scale) plus the two inputs. The pre-activation
/// stays positive, so v follows vₖ₊₁ = (w·vₖ + x)/2 towards its fixed point x/(2 − w); after a
/// hundred iterations (w/2)ᴺ is below 1e-34 and the gradient is the fixed point's:
/// ∂v/∂x = 1/(2 − w) = 0.90909… and ∂v/∂w = x/(2 − w)² = 0.41322…
enum Chain {
    static let x = 0.5
    static let w = 0.9

    /// The nodes one chain of `iterations` records: the two inputs and four per iteration.
    static func nodeCount(iterations: Int) -> Int { 2 + 4 * iterations }

    /// The iterations that make a chain of about `nodes` nodes.
    static func iterations(forNodes nodes: Int) -> Int { max(1, (nodes - 2) / 4) }

    /// Checks a gradient (∂v/∂x, ∂v/∂w) against the closed form; valid from 100 iterations on.
    static func check(_ gradient: (dx: Double, dw: Double), _ variant: String) {
        let dx = 1 / (2 - w), dw = x / ((2 - w) * (2 - w))
        verify(isNear(gradient.dx, dx, relative: 1e-12) && isNear(gradient.dw, dw, relative: 1e-12),
               "W1 \(variant): gradient (\(gradient.dx), \(gradient.dw)) is not (\(dx), \(dw))")
    }

    /// The engine through its Swift API, as the README shows it: a ``Tape`` and ``Variable``s,
    /// with its capacity reserved as ``engineGraph(iterations:)`` reserves it (like with like).
    static func engineTape(iterations: Int) -> (dx: Double, dw: Double) {
        tape(Tape(reservingCapacity: nodeCount(iterations: iterations)), iterations: iterations)
    }

    /// The same with a tape that grows as it records (no capacity reserved).
    static func engineTapeGrown(iterations: Int) -> (dx: Double, dw: Double) {
        tape(Tape(), iterations: iterations)
    }

    @inline(__always)
    static func tape(_ tape: Tape, iterations: Int) -> (dx: Double, dw: Double) {
        let x = tape.input(Chain.x, name: "x"), w = tape.input(Chain.w, name: "w")
        var v = x
        for _ in 0..<iterations { v = relu(v * w + x) * 0.5 }
        let gradient = v.gradient()
        return (gradient[x.id]!, gradient[w.id]!)
    }

    /// The engine through the ``Graph`` API, as a performance-minded user would write it:
    /// capacity reserved up front, node ids instead of variables, one reverse sweep.
    static func engineGraph(iterations: Int) -> (dx: Double, dw: Double) {
        var graph = Graph()
        graph.reserveCapacity(nodeCount(iterations: iterations), operandsPerNode: 2)
        let x = graph.appendLeaf(.input, value: Chain.x), w = graph.appendLeaf(.input, value: Chain.w)
        var v = x
        for _ in 0..<iterations {
            let product = graph.append(.multiply, v, w)
            let preActivation = graph.append(.add, product, x)
            let activation = graph.append(.relu, preActivation)
            v = graph.append(.multiplyConstant, activation, parameter: 0.5)
        }
        let adjoint = graph.adjoints(from: v)
        return (adjoint[x], adjoint[w])
    }

    /// The gradient written by hand: the forward pass keeps each iteration's input vₖ and whether
    /// relu was active, and the backward loop applies the chain rule to those.
    ///
    /// This is the practical limit: the least a reverse sweep must store and do for this function.
    static func handwritten(iterations: Int) -> (dx: Double, dw: Double) {
        var inputs = [Double](repeating: 0, count: iterations)
        var active = [Bool](repeating: false, count: iterations)
        var v = Chain.x
        for k in 0..<iterations {
            inputs[k] = v
            let preActivation = v * Chain.w + Chain.x
            active[k] = preActivation > 0
            v = (active[k] ? preActivation : 0) * 0.5
        }
        // v̄ is ∂output/∂vₖ₊₁; each iteration passes it to x, w and vₖ.
        var vBar = 1.0, xBar = 0.0, wBar = 0.0
        for k in stride(from: iterations - 1, through: 0, by: -1) {
            let preActivationBar = active[k] ? vBar * 0.5 : 0
            xBar += preActivationBar
            wBar += preActivationBar * inputs[k]
            vBar = preActivationBar * Chain.w
        }
        return (xBar + vBar, wBar)  // v₀ is x itself, so x also receives v̄₀
    }

    /// Swift's built-in reverse mode: `valueWithPullback` over the same loop.
    static func nativeAD(iterations: Int) -> (dx: Double, dw: Double) {
        let (_, pullback) = valueWithPullback(at: Chain.x, Chain.w) { x, w in
            chain(x, w, iterations: iterations)
        }
        let gradient = pullback(1)
        return (gradient.0, gradient.1)
    }
}

@differentiable(reverse)
private func rectified(_ value: Double) -> Double { value > 0 ? value : 0 }

@differentiable(reverse, wrt: (x, w))
private func chain(_ x: Double, _ w: Double, iterations: Int) -> Double {
    var v = x
    for _ in 0..<iterations { v = rectified(v * w + x) * 0.5 }
    return v
}
