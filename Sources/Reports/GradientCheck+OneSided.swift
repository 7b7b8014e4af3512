import GradFlow

/// Kinks and branches: why a central difference can disagree with a correct gradient, and the
/// one-sided differences that check the gradient there instead.
///
/// Central differences assume the function is smooth on [x − h, x + h]. Two things break that
/// in a scene: an op evaluated at or near its kink (`relu` or `abs` at 0, `max`/`min` of equal
/// arguments), and an `if` or loop that goes another way when the scene is traced again at a
/// moved point. When a central difference disagrees and one of these lies within x ± 2h, the
/// check evaluates x ± 2h as well and compares the gradient with the second-order one-sided
/// differences `(−3f(x) + 4f(x+h) − f(x+2h)) / 2h` and `(3f(x) − 4f(x−h) + f(x−2h)) / 2h` on
/// each side where nothing changes. The gradient passes when it agrees with one of them (the
/// engine takes one side's slope at a kink, as every AD system does); the report says which,
/// and gives both sides' slopes, so a point where the function is not differentiable is shown
/// as such rather than as a failure.
extension GradientCheck {
    /// What the finite differences of one derivative found.
    public enum FiniteDifference: Sendable, Equatable {
        /// The central difference agrees.
        case agrees
        /// The central difference disagrees and nothing explains it.
        case disagrees
        /// The function is not smooth within x ± 2h (a kink or a branch); see the ``Straddle``.
        case straddles(Straddle)
        /// The scene cannot be traced at a moved value of the input (it sets a `repeat` count or
        /// a `randn` seed, which must be whole): the reason, from the scene's diagnostic.
        case notCheckable(String)
        /// The central difference disagrees because the output depends on the input through
        /// `detach`, which stops the gradient on purpose while finite differences see through
        /// it: the nodes named, written as in the scene.
        case detached([String])
    }

    /// A kink or branch within x ± 2h, and the one-sided slopes on either side of it.
    public struct Straddle: Sendable, Equatable {
        /// The input's value.
        public let at: Double
        /// What is not smooth: kink nodes (`y = relu(x)`) and/or the branch taken.
        public let cause: String
        /// Whether the input sits exactly on a kink (x itself is the kink point).
        public let atKink: Bool
        /// The one-sided slopes; a side on which something changes gets a first-order estimate
        /// from its own two points (nil when those are not comparable either).
        public let left: Double?
        public let right: Double?
        /// The sides on which nothing changes between x and x ± 2h (their slopes are exact to O(h²)).
        public let leftIsSmooth: Bool
        public let rightIsSmooth: Bool
        /// The side whose slope the gradient agrees with, if any.
        public let agreeingSide: Side?

        /// The left or right slope, or (at the kink itself) a value between them.
        public enum Side: String, Sendable { case left, right, between }

        /// Whether the slopes on the two sides differ: the function is not differentiable there.
        public var sidesDiffer: Bool {
            guard let left, let right else { return true }
            return GradientCheck.discrepancy(left, right) > 1e-6
        }
    }
}

/// The evaluations around one input that a straddle needs: x − 2h, x − h, x, x + h, x + 2h.
struct Neighbourhood {
    let graph: Graph
    /// The outputs at x.
    let centre: [Double]
    /// The evaluations at x − 2h, x − h, x + h, x + 2h, and the steps taken (x − (x − h), (x + h) − x).
    let below2: GradientCheck.Evaluation, below: GradientCheck.Evaluation
    let above: GradientCheck.Evaluation, above2: GradientCheck.Evaluation
    let stepBelow: Double, stepAbove: Double
    /// The input's value.
    let x: Double

    /// Evaluates around input `index` of `point`; nil when the computation cannot be made at one
    /// of the points.
    init?(graph: Graph, centre: [Double], point: [Double], index: Int,
          evaluate: ([Double]) throws -> GradientCheck.Evaluation) rethrows {
        let x = point[index], h = GradientCheck.step(at: x)
        var moved = [point, point, point, point]
        for (slot, multiple) in [-2.0, -1, 1, 2].enumerated() { moved[slot][index] = x + multiple * h }
        let evaluations = [try evaluate(moved[0]), try evaluate(moved[1]), try evaluate(moved[2]), try evaluate(moved[3])]
        guard evaluations.allSatisfy({ $0.failure == nil }) else { return nil }
        self.graph = graph
        self.centre = centre
        (below2, below, above, above2) = (evaluations[0], evaluations[1], evaluations[2], evaluations[3])
        stepBelow = x - moved[1][index]
        stepAbove = moved[2][index] - x
        self.x = x
    }

    /// The nodes whose op has a kink (the op table's `kink`: relu, abs, max, min).
    private var kinkNodes: [NodeID] {
        graph.nodes.filter { graph.ops[$0].rule.kink != nil }
    }

    /// Which side of its kink `node` falls on with these node values: −1, 0 (on it) or 1.
    private func side(of node: NodeID, values: [Double]) -> Int {
        let operands = graph.operands(of: node)
        let distance = graph.ops[node].rule.kink?(values[operands[0]], operands.count > 1 ? values[operands[1]] : 0) ?? 0
        return distance > 0 ? 1 : distance < 0 ? -1 : 0
    }

    /// The straddle for output `row`, or nil when nothing within x ± 2h is not smooth.
    func straddle(row: Int, reverse: Double, tolerance: Double) -> GradientCheck.Straddle? {
        let branchBelow = below.traceChanged || below2.traceChanged
        let branchAbove = above.traceChanged || above2.traceChanged
        var crossed: [NodeID] = [], onKink = false
        var leftSmooth = !branchBelow, rightSmooth = !branchAbove
        let values = Array(graph.values)
        for node in kinkNodes {
            let here = side(of: node, values: values)
            let sides = [below2, below, above, above2].map { $0.values.map { side(of: node, values: $0) } }
            let known = sides.compactMap { $0 } + [here]
            guard Set(known).count > 1 else { continue }
            crossed.append(node)
            if here == 0 { onKink = true }
            func smooth(_ near: Int?, _ far: Int?) -> Bool {
                guard let near, let far, near == far, near != 0 else { return false }
                return here == 0 || here == near
            }
            if !smooth(sides[1], sides[0]) { leftSmooth = false }
            if !smooth(sides[2], sides[3]) { rightSmooth = false }
        }
        guard branchBelow || branchAbove || !crossed.isEmpty else { return nil }
        var causes = crossed.prefix(3).map { "\(graph.label(of: $0)) = \(graph.expression(of: $0))" }
        if crossed.count > 3 { causes.append("\(crossed.count - 3) more") }
        if branchBelow || branchAbove {
            causes.append("the branch taken (tracing again at x \(branchBelow && branchAbove ? "± h" : branchAbove ? "+ h" : "− h") "
                + "recorded a different graph)")
        }
        return makeStraddle(row: row, reverse: reverse, tolerance: tolerance, cause: causes.joined(separator: ", "),
                            onKink: onKink, leftSmooth: leftSmooth, rightSmooth: rightSmooth)
    }

    private func makeStraddle(row: Int, reverse: Double, tolerance: Double, cause: String, onKink: Bool,
                              leftSmooth: Bool, rightSmooth: Bool) -> GradientCheck.Straddle {
        let f0 = centre[row]
        func value(_ evaluation: GradientCheck.Evaluation) -> Double { evaluation.outputs.indices.contains(row) ? evaluation.outputs[row] : .nan }
        let (fm2, fm1, fp1, fp2) = (value(below2), value(below), value(above), value(above2))
        // Rounding in a one-sided difference: 8 output-sized errors over 2h.
        let size = [f0, fm2, fm1, fp1, fp2].map(Swift.abs).filter(\.isFinite).max() ?? 0
        func noise(_ step: Double) -> Double { 10 * Double.ulpOfOne * size * 8 / (2 * step) }
        // A slope within that noise of 0 is 0 as far as the difference can tell: the flat side
        // of min(a, c) at a = c = 0.7 read `right -1.466741e-10`, a residue of rounding.
        func flat(_ slope: Double, _ step: Double) -> Double { Swift.abs(slope) <= noise(step) ? 0 : slope }
        let left = flat(leftSmooth ? (3 * f0 - 4 * fm1 + fm2) / (2 * stepBelow) : (fm1 - fm2) / stepBelow, stepBelow)
        let right = flat(rightSmooth ? (-3 * f0 + 4 * fp1 - fp2) / (2 * stepAbove) : (fp2 - fp1) / stepAbove, stepAbove)
        func agrees(_ slope: Double, _ step: Double) -> Bool {
            let noise = noise(step)
            return reverse.isFinite && slope.isFinite
                && Swift.abs(reverse - slope) <= tolerance * Swift.max(1, Swift.abs(reverse), Swift.abs(slope)) + noise
        }
        var side: GradientCheck.Straddle.Side?
        if leftSmooth && agrees(left, stepBelow) {
            side = .left
        } else if rightSmooth && agrees(right, stepAbove) {
            side = .right
        } else if onKink && leftSmooth && rightSmooth && reverse.isFinite {
            // At the kink itself any slope between the two sides is a valid choice (a
            // subgradient: abs′(0) = 0, as PyTorch and TensorFlow take it).
            let margin = tolerance * Swift.max(1, Swift.abs(left), Swift.abs(right)) + noise(stepAbove)
            if reverse >= Swift.min(left, right) - margin && reverse <= Swift.max(left, right) + margin { side = .between }
        }
        return GradientCheck.Straddle(
            at: x, cause: cause, atKink: onKink, left: left.isFinite ? left : nil, right: right.isFinite ? right : nil,
            leftIsSmooth: leftSmooth, rightIsSmooth: rightSmooth, agreeingSide: side)
    }
}
