import GradFlow
import SceneLanguage
import Testing
@testable import Stepper

/// Lecture scenes that the screen checker found illegible at 80×24 before the graph pane
/// learned to avoid it, walked here from their text (they are not in `Scenes/`).
@Suite struct StepLegibilityTests {
    /// Two outputs reading one hidden layer: the packed drawing that fits 80×9 walls [t5] in
    /// between [t1] and [t9], so that w's edges and x's edge into [t5] ran along one row
    /// (`[w]─┴┼▶[t5]`) at every step. A drawing whose every edge can be followed is shown instead.
    @Test func aDrawingWithAWalledInBoxGivesWayToOneWhoseEdgesCanBeFollowed() throws {
        let graph = try Scene.parse(source: """
            input x = 0.4, y = -1.3, w = 0.9
            h1 = tanh(w * x + y)
            h2 = sigmoid(x * y)
            h3 = h1 * h2 + exp(-x)
            loss = (h3 - 1)^2 + 0.1 * w^2
            acc = h1 + h2 * h3 - ln(1 + y^2)
            output loss, acc
            """, fileName: "two-out.scene").graph
        try walk(graph) { _ in true }
    }

    /// An 8-8-1 tanh MLP in scalars (243 nodes, drawn in windows at 80×24): the hidden unit
    /// receiving from `v_j · h_j`, an operand from before the window, was put thirteen rows
    /// under its consumer, further apart than the 9-row pane.
    @Test func anOperandFromBeforeTheWindowIsDrawnBesideItsConsumer() throws {
        var lines = ["const " + (0..<8).map { "x\($0) = \(Double($0 % 5 - 2) / 4)" }.joined(separator: ", ")]
        for j in 0..<8 {
            lines.append("input " + (0..<8).map { "w\(j)_\($0) = \(Double((3 * j + 5 * $0) % 9 - 4) / 10)" }.joined(separator: ", ")
                         + ", b\(j) = \(Double(j % 3 - 1) / 10)")
        }
        lines.append("input " + (0..<8).map { "v\($0) = \(Double($0 % 4 - 2) / 5)" }.joined(separator: ", ") + ", c = 0.1")
        for j in 0..<8 {
            lines.append("h\(j) = tanh(" + (0..<8).map { "w\(j)_\($0) * x\($0)" }.joined(separator: " + ") + " + b\(j))")
        }
        lines.append("y = " + (0..<8).map { "v\($0) * h\($0)" }.joined(separator: " + ") + " + c")
        lines += ["L = (y - 0.5)^2", "output L"]
        let graph = try Scene.parse(source: lines.joined(separator: "\n"), fileName: "mlp-8-8-1.scene").graph
        // The steps into a hidden unit's output, from the product that reads it.
        try walk(graph) { model in
            guard case .contribute(let contribution)? = model.currentStep else { return false }
            return graph.label(of: contribution.to).hasPrefix("h")
        }
    }

    /// Two SGD steps written out (`w11 -= lr * grad(L, w11)`): each input stands at the start of
    /// the whole graph (128 nodes, laid out whole) and its update at the other end, further
    /// apart than the pane in every layout, so the edge w11 → w11₂ ran out of view and w11₂ was
    /// cut at the pane's edge. The step is shown in the window around it, as in a large graph.
    @Test func anUpdateFarFromItsInputIsShownInTheWindowAroundTheStep() throws {
        let graph = try Self.sgdWrittenOut()
        // The steps into an input, from the update that reads it (and from the first layer).
        try walk(graph) { model in
            guard case .contribute(let contribution)? = model.currentStep else { return false }
            return graph.ops[contribution.to].isLeaf
        }
    }

    /// The same scene in the forward pass: `t19 = t18 · x1` was drawn at 120×40 with x1 (a
    /// constant at the start of the graph) beyond the pane, half a product on screen. Each
    /// evaluation is shown with its operands, at 80×24 and 120×40.
    @Test func aForwardStepShowsEveryOperand() throws {
        let graph = try Self.sgdWrittenOut()
        for (columns, rows) in [(80, 24), (120, 40)] {
            try walk(graph, columns: columns, rows: rows) { model in
                guard case .evaluate(let evaluation)? = model.currentStep else { return false }
                return !graph.operands(of: evaluation.node).isEmpty
            }
        }
    }

    static func sgdWrittenOut() throws -> Graph {
        try Scene.parse(source: """
            input w11 = 0.2, w12 = -0.4, w13 = 0.5
            input w21 = -0.3, w22 = 0.1, w23 = 0.6
            input b1 = 0.1, b2 = -0.2
            input v1 = 0.7, v2 = -0.5, c = 0.05
            const x1 = 1.5, x2 = -0.5, x3 = 0.8
            const t = 1
            const lr = 0.1
            fn net(w11, w12, w13, w21, w22, w23, b1, b2, v1, v2, c) {
                h1 = relu(w11 * x1 + w12 * x2 + w13 * x3 + b1)
                h2 = relu(w21 * x1 + w22 * x2 + w23 * x3 + b2)
                y = v1 * h1 + v2 * h2 + c
                return (y - t)^2
            }
            repeat 2 {
                L = net(w11, w12, w13, w21, w22, w23, b1, b2, v1, v2, c)
                w11 -= lr * grad(L, w11)
                w12 -= lr * grad(L, w12)
                w13 -= lr * grad(L, w13)
                b1 -= lr * grad(L, b1)
                v1 -= lr * grad(L, v1)
                c -= lr * grad(L, c)
            }
            final = net(w11, w12, w13, w21, w22, w23, b1, b2, v1, v2, c)
            output final
            """, fileName: "sgd-written-out.scene").graph
    }

    /// 61 nodes, each the sum of all before it, opened at 80×24 on the top-left corner of its
    /// drawing, where only edges run: no box at all until the first step. It opens on the node
    /// the first step evaluates.
    @Test func theFirstFrameShowsTheNodeTheFirstStepEvaluates() throws {
        var lines = ["input x = 1"]
        for k in 0..<60 {
            lines.append("v\(k) = sum(" + (["x"] + (0..<k).map { "v\($0)" }).joined(separator: ", ") + ")")
        }
        lines.append("output v59")
        let graph = try Scene.parse(source: lines.joined(separator: "\n"), fileName: "dense61.scene").graph
        let model = try StepperModel(graph: graph, fileName: "dense61.scene", columns: 80, rows: 24)
        let frame = StepperView().render(model)
        #expect(model.step == 0)
        #expect(frame.drawnGraph.box(showing: 0) != nil, "x is in no drawn box\n\(frame.grid.text)")
    }

    /// Walks every step at 80×24 (or the size given), checking those `checked` picks with the
    /// screen checker.
    private func walk(_ graph: Graph, columns: Int = 80, rows: Int = 24, checked: (StepperModel) -> Bool) throws {
        let view = StepperView()
        var model = try StepperModel(graph: graph, fileName: "scene", columns: columns, rows: rows)
        var seen = 0
        while true {
            if checked(model) {
                seen += 1
                let frame = view.render(model)
                for problem in ScreenChecker(model: model, frame: frame, wholeLimit: 12).problems().prefix(1) {
                    Issue.record("\(columns)×\(rows), step \(model.step): \(problem)\n\(frame.grid.text)")
                }
            }
            if model.isAtEnd { break }
            model = update(model, .next)
        }
        #expect(seen > 0)
    }
}
