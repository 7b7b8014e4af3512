import Testing
@testable import Stepper

/// The lanes of one gap between ranks: shared where edges run on rows apart (a dense unit's
/// twelve inputs fit a 200×50 pane only so), never where two would touch or overlap.
@Suite struct GapTracksTests {
    private func segment(_ group: Int, _ leftRow: Int, _ rightRow: Int) -> GapTracks.Segment {
        GapTracks.Segment(edge: group, group: group, leftRow: leftRow, rightRow: rightRow)
    }

    @Test func edgesOnRowsApartShareOneLane() {
        // Twelve operands, each turning one row down into its product, four rows apart: one
        // lane, where one per operand made the gap twelve columns (rows, top to bottom) wide.
        let tracks = GapTracks((0..<12).map { segment($0, 4 * $0, 4 * $0 + 1) })
        #expect(tracks.count == 1)
        #expect(Set(tracks.lane.values) == [0])
    }

    @Test func runsMeetingEndToEndGetLanesOfTheirOwn() {
        // One run ends on row 3, the next starts on row 4: in one column they would read as one line.
        let touching = GapTracks([segment(0, 0, 3), segment(1, 4, 6)])
        #expect(touching.count == 2)
        #expect(touching.lane[0] != touching.lane[1])
        // A free row between them: one lane.
        let apart = GapTracks([segment(0, 0, 3), segment(1, 5, 6)])
        #expect(apart.count == 1)
    }

    @Test func overlappingRunsGetLanesOfTheirOwn() {
        let tracks = GapTracks([segment(0, 0, 5), segment(1, 2, 8), segment(2, 9, 12)])
        #expect(tracks.lane[0] != tracks.lane[1])
        // The third lies a row past both: it shares the first lane.
        #expect(tracks.count == 2)
        #expect(tracks.lane[2] == 0)
    }

    @Test func anEdgeLeavingOnTheRowAnotherArrivesOnTurnsLeftOfIt() {
        // Group 1 arrives on row 4, where group 0 leaves: group 0's run along row 4 must end
        // before group 1's begins, so group 0's lane is left of group 1's; group 2 arrives on
        // row 1, where group 1 leaves, so its lane is right of group 1's.
        let tracks = GapTracks([segment(1, 1, 4), segment(0, 4, 7), segment(2, 9, 1)])
        let zero = tracks.lane[0]!, one = tracks.lane[1]!, two = tracks.lane[2]!
        #expect(zero < one)
        #expect(one < two)
    }

    @Test func edgesSwappingRowsKeepALaneEach() {
        // Each must come left of the other: the overlap left is rerouted by the untangler
        // through the gap's free columns, so no lane is shared in such a gap.
        let tracks = GapTracks([segment(0, 3, 4), segment(1, 4, 3), segment(2, 10, 11), segment(3, 13, 14)])
        #expect(tracks.count == 4)
        #expect(Set(tracks.lane.values).count == 4)
    }

    @Test func anEdgeRunningStraightAcrossNeedsNoLane() {
        let tracks = GapTracks([segment(0, 2, 2), segment(1, 5, 8)])
        #expect(tracks.lane[0] == nil)
        #expect(tracks.count == 1)
    }
}
