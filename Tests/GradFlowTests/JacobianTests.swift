import Foundation
import GradFlow
import Testing
import TestSupport

@Suite struct JacobianTests {
    /// z = 2x + sin x and v = 4x + cos x, with y an unused second input.
    @Test func twoOutputsByRowsAndByColumns() {
        let tape = Tape()
        let x = tape.input(0.7, name: "x"), y = tape.input(3, name: "y")
        let z = 2 * x + sin(x)
        let v = 4 * x + cos(x) + 0 * y
        let reverse = tape.graph.jacobianByReverseMode(outputs: [z.id, v.id])
        let forward = tape.graph.jacobianByForwardMode(outputs: [z.id, v.id])
        #expect(reverse.passes == 2 && forward.passes == 2)
        let expected = [[2 + Foundation.cos(0.7), 0], [4 - Foundation.sin(0.7), 0]]
        for row in 0..<2 {
            for column in 0..<2 {
                #expect(isClose(reverse.entries[row][column], expected[row][column], absolute: 1e-15))
                #expect(isClose(forward.entries[row][column], expected[row][column], absolute: 1e-15))
            }
        }
    }

    @Test func oneOutputManyInputsNeedsOneReversePassButManyForward() {
        let tape = Tape()
        let inputs = (1...5).map { tape.input(Double($0)) }
        let f = sum(inputs.map { $0 * $0 })
        let reverse = tape.graph.jacobianByReverseMode(outputs: [f.id])
        let forward = tape.graph.jacobianByForwardMode(outputs: [f.id])
        #expect(reverse.passes == 1 && forward.passes == 5)
        for (column, value) in (1...5).enumerated() {
            #expect(isClose(reverse.entries[0][column], 2 * Double(value)))
            #expect(isClose(forward.entries[0][column], 2 * Double(value)))
        }
    }
}

@Suite struct TimelineTests {
    /// `a = 3; b = a + a; c = b + b`: a node used twice receives two contributions each time.
    @Test func aNodeUsedTwiceReceivesTwoContributions() {
        var g = Graph()
        let a = g.appendLeaf(value: 3, name: "a")
        let b = g.append(.add, a, a)
        let c = g.append(.add, b, b)
        let timeline = Timeline(graph: g, mode: .reverse(output: c))
        #expect(timeline.contributionCount == 4)
        #expect(timeline.count == 3 + 1 + 4)
        let intoA = timeline.contributions(into: a).map(timeline.contribution)
        #expect(intoA.map(\.adjointAfter) == [2, 4])
        #expect(isClose(timeline.derivative(of: a, at: timeline.count)!, 4))
        #expect(timeline.phase(at: 0) == .start && timeline.phase(at: 3) == .forward)
        #expect(timeline.phase(at: 4) == .seed && timeline.phase(at: 5) == .backward)
    }

    /// Every step's state equals a replay of the steps before it, in both directions of time.
    @Test func anyStepEqualsTheReplayUpToIt() {
        let tape = Tape()
        let x = tape.input(0.3, name: "x"), w = tape.input(-1.2, name: "w")
        let h = tanh(x * w + x)
        let out = h * h + sigmoid(h * x)
        let timeline = Timeline(graph: tape.graph, mode: .reverse(output: out.id))
        var replay = [Double?](repeating: nil, count: tape.graph.count)
        for k in 1...timeline.count {
            switch timeline.step(k) {
            case .evaluate: break
            case .seed(let output): replay[output] = 1
            case .contribute(let contribution):
                #expect(isClose(contribution.adjointBefore, replay[contribution.to] ?? 0))
                replay[contribution.to] = (replay[contribution.to] ?? 0) + contribution.contribution
                #expect(isClose(contribution.adjointAfter, replay[contribution.to]!))
            }
            for node in tape.graph.nodes {
                let shown = timeline.derivative(of: node, at: k)
                #expect(shown == replay[node] || (shown != nil && replay[node] != nil && isClose(shown!, replay[node]!)))
            }
        }
        let final = tape.graph.adjoints(from: out.id)
        for node in tape.graph.nodes where timeline.isAncestorOfOutput(node) {
            #expect(isClose(timeline.derivative(of: node, at: timeline.count) ?? 0, final[node]))
        }
    }

    @Test func forwardModeTimelineShowsTangentsOnceEvaluated() {
        var g = Graph()
        let x = g.appendLeaf(value: 2, name: "x")
        let y = g.append(.powerConstant, x, parameter: 3)
        let timeline = Timeline(graph: g, mode: .forward(input: x))
        #expect(timeline.count == 2)
        #expect(timeline.derivative(of: y, at: 1) == nil)
        #expect(isClose(timeline.derivative(of: y, at: 2)!, 12))
    }
}
