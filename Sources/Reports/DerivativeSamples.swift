import GradFlow

/// A function and its first derivatives sampled over an interval, for `gradflow plot`.
///
/// Each derivative is computed as `grad` computes it: by appending the backward pass to the
/// graph as nodes and differentiating those nodes again, never by finite differences. The
/// scene is traced afresh at every sample, so an `if` is decided there and the partials of
/// relu, abs, max and min are those of that side of the kink.
public struct DerivativeSamples: Sendable {
    /// The sample points.
    public var xs: [Double]
    /// `values[k][i]` is the k-th derivative at `xs[i]` (k = 0 is the function itself).
    public var values: [[Double]]

    /// One traced point: the graph, the node plotted and the input it is a function of.
    public struct Point {
        public var graph: Graph
        public var output: NodeID
        public var input: NodeID

        public init(graph: Graph, output: NodeID, input: NodeID) {
            self.graph = graph
            self.output = output
            self.input = input
        }
    }

    /// Samples `count` evenly spaced points of `range` (both ends included).
    ///
    /// - Parameters:
    ///   - derivatives: how many derivatives besides the function itself.
    ///   - nodeLimit: the most nodes one point's graph may grow to as it is differentiated.
    ///   - trace: the scene traced with its input at a given value.
    /// - Throws: what `trace` throws, or ``Failure/tooManyNodes`` when the derivatives' graph
    ///   outgrows `nodeLimit`.
    public static func sample(
        over range: ClosedRange<Double>, count: Int, derivatives: Int, nodeLimit: Int,
        trace: (Double) throws -> Point
    ) throws -> DerivativeSamples {
        let count = Swift.max(count, 2)
        let xs = (0..<count).map { index in
            index == count - 1 ? range.upperBound
                : range.lowerBound + (range.upperBound - range.lowerBound) * Double(index) / Double(count - 1)
        }
        var values = Array(repeating: [Double](), count: derivatives + 1)
        for x in xs {
            var point = try trace(x)
            var current = Term.node(point.output)
            values[0].append(current.value(in: point.graph))
            for order in stride(from: 1, through: derivatives, by: 1) {
                if case .node(let node) = current {
                    current = point.graph.hasTensors
                        ? try point.graph.differentiateTensors(node, withRespectTo: point.input)
                        : point.graph.differentiate(node, withRespectTo: point.input)
                } else {
                    current = .number(0)  // the derivative of a constant
                }
                if point.graph.count > nodeLimit { throw Failure.tooManyNodes(order: order, limit: nodeLimit) }
                values[order].append(current.value(in: point.graph))
            }
        }
        return DerivativeSamples(xs: xs, values: values)
    }

    public enum Failure: Error, CustomStringConvertible {
        case tooManyNodes(order: Int, limit: Int)

        public var description: String {
            switch self {
            case .tooManyNodes(let order, let limit):
                "derivative \(order) makes the graph larger than \(limit) nodes (raise the limit with --max-nodes, or ask for fewer derivatives)"
            }
        }
    }
}
