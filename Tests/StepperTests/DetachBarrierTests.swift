import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The edge into `detach` carries a barrier glyph in the stepper's graph pane.
@Suite struct DetachBarrierTests {
    static let graph: Graph = {
        (try? Scene.parse(source: "input x = 3\nd = detach(x)\ny = x * d\noutput y", fileName: "detach.scene").graph) ?? Graph()
    }()

    @Test(arguments: [Charset.unicode, Charset.ascii])
    func theDetachedEdgeShowsABarrier(charset: Charset) throws {
        var options = StepperOptions()
        options.walk.step = 7
        let model = try Fixtures.model(Self.graph, columns: 100, rows: 30, options: options, charset: charset)
        let grid = StepperView.withLayeredLayout().render(model).grid
        let barrier = charset == .ascii ? "X" : "╫"
        #expect((0..<grid.rows).contains { grid.line($0).contains(barrier) })
        // Only that edge: the graph without detach has none.
        let plain = try Scene.parse(source: "input x = 3\nd = x * 1\ny = x * d\noutput y", fileName: "plain.scene").graph
        let other = StepperView.withLayeredLayout().render(try Fixtures.model(plain, columns: 100, rows: 30, options: options, charset: charset)).grid
        #expect(!(0..<other.rows).contains { other.line($0).contains(barrier) })
    }
}
