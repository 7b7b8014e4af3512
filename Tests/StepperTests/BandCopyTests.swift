import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// A graph cut into bands draws an operand from an earlier band again in a later one: once per
/// band, with its edges fanning out from that one box to its readers there, so that the class
/// still sees that one value feeds several nodes.
@Suite struct BandCopyTests {
    static func polar() throws -> Graph {
        try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/polar-many-outputs.scene").path).graph
    }

    /// r is read by x, y, r² and r·θ. Cut into four bands, x lies in the first, y and r² in the
    /// second, r·θ in the third: r is drawn once in each of these three bands. The old cut drew a
    /// copy per edge: y and r² each had their own r, four boxes of r in all.
    @Test func anOperandIsDrawnOncePerBandWithItsFanOut() throws {
        let graph = try Self.polar()
        let window = GraphWindow(graph: graph, items: FoldedItems(graph: graph, folded: []), chunk: nil, bands: 4)
        let r = (0..<graph.count).first { graph.label(of: $0) == "r" }!
        let readers = (0..<graph.count).filter { graph.operands(of: $0).contains(r) }
        #expect(readers.count == 4)
        let boxesOfR = window.boxItems.indices.filter { window.boxItems[$0] == r }
        let bandsReading = Set(readers.map { window.bandOfBox[window.position(of: $0)!] })
        #expect(bandsReading.count == 3, "the readers of r lie in three of the four bands")
        #expect(boxesOfR.count == 3, "one box of r per band that reads it")
        #expect(Set(boxesOfR.map { window.bandOfBox[$0] }) == bandsReading)
        // Each reader gets its edge from the box of r in its own band: two edges fan out of one box.
        for reader in readers {
            let consumer = window.position(of: reader)!
            let from = window.position(of: r, consumer: consumer)!
            #expect(window.boxItems[from] == r)
            #expect(window.edges.contains { $0.from == from && $0.to == consumer })
            #expect(window.bandOfBox[from] == window.bandOfBox[consumer])
        }
        #expect(boxesOfR.contains { box in window.edges.count { $0.from == box } == 2 })
    }

    /// The styles that draw a leaf read by many beside each of its readers still do so in bands
    /// (they are tried after those without, for bands that do not fit with the long edges
    /// from the inputs: an RNN's w, u and b, read by every step).
    @Test func theLeavesBesideTheirReadersStayBesideEach() throws {
        let graph = try Self.polar()
        let window = GraphWindow(graph: graph, items: FoldedItems(graph: graph, folded: []), chunk: nil, proxyLeaves: true, bands: 4)
        let r = (0..<graph.count).first { graph.label(of: $0) == "r" }!
        #expect(window.boxItems.count { $0 == r } == 4)
    }
}
