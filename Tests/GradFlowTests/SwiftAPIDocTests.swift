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
}
