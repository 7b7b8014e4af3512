/// The vertical tracks of one gap between two ranks of a left-to-right drawing (see
/// ``ChannelRouter``): which group of edges runs down (or up) which lane, lanes counted left to
/// right.
///
/// Each group (the edges from one operand, or one long edge) with a track runs along its left
/// row from the left rank to its lane, along the lane, and along each of its right rows from
/// the lane to the right rank. Two rules keep every edge traceable:
/// - A group whose left row is the row another group arrives on comes in a lane left of it, or
///   their two runs on that row would overlap.
/// - Groups share a lane only when their runs along it lie at least one free row apart, so that
///   two edges never run through the same cells nor meet end to end and look joined.
///
/// Sharing is what lets a dense unit fit: drawn top to bottom, its twelve products took a lane
/// each between the inputs and the products, 26 rows where 12 do.
struct GapTracks {
    /// A piece of an edge inside the gap: from a row on the gap's left to a row on its right.
    struct Segment {
        var edge: Int
        /// Edges from one operand share a track: the operand's box, or a unique key for a
        /// long edge coming from the rank before.
        var group: Int
        var leftRow: Int
        var rightRow: Int
    }

    /// The lane of each group with a track (a group running straight across has none).
    private(set) var lane: [Int: Int] = [:]
    /// How many lanes the gap needs.
    private(set) var count = 0

    init(_ segments: [Segment]) {
        let order = Self.order(segments)
        if order.cyclic {
            // Some groups each need to come left of the other (two edges swapping rows): one
            // lane per group, as the untangler reroutes the overlap left there through the
            // gap's free columns, which packing the lanes would take away.
            for (position, group) in order.groups.enumerated() { lane[group] = position }
            count = order.groups.count
        } else {
            pack(order.groups, after: order.after, segments: segments)
        }
    }

    /// Groups in left-to-right order. A group whose run on the gap's left side lies on the row
    /// another group's run on the right side arrives on must come first, or the two runs would
    /// overlap. A group running straight across needs no track unless that happens.
    ///
    /// - Returns: the groups, the groups each must come before, and whether those constraints
    ///   form a cycle (then it was broken at the group with the lowest row).
    private static func order(_ segments: [Segment]) -> (groups: [Int], after: [Int: Set<Int>], cyclic: Bool) {
        var groups: [Int: [Segment]] = [:]
        for segment in segments { groups[segment.group, default: []].append(segment) }
        let rightRows = Dictionary(segments.map { ($0.rightRow, $0.group) }, uniquingKeysWith: { first, _ in first })
        var needsTrack = Set<Int>()
        for (group, list) in groups {
            let straight = list.allSatisfy { $0.leftRow == $0.rightRow }
            let blocked = list.contains { rightRows[$0.leftRow].map { $0 != group } ?? false }
            if !straight || blocked { needsTrack.insert(group) }
        }
        // Constraint a before b when a's left row is b's right row.
        var after: [Int: Set<Int>] = [:]
        var before: [Int: Int] = [:]
        for group in needsTrack { before[group] = 0 }
        for group in needsTrack {
            for segment in groups[group]! {
                if let other = rightRows[segment.leftRow], other != group, needsTrack.contains(other),
                   after[group, default: []].insert(other).inserted {
                    before[other, default: 0] += 1
                }
            }
        }
        func key(_ group: Int) -> Int { groups[group]!.map(\.leftRow).min()! }
        var ready = needsTrack.filter { before[$0] == 0 }.sorted { key($0) < key($1) }
        var result: [Int] = []
        var placed = Set<Int>()
        var cyclic = false
        while result.count < needsTrack.count {
            if ready.isEmpty {
                // A cycle: break it at the group with the lowest row.
                cyclic = true
                let rest = needsTrack.subtracting(placed).sorted { key($0) < key($1) }
                ready = [rest[0]]
            }
            let group = ready.removeFirst()
            guard placed.insert(group).inserted else { continue }
            result.append(group)
            for next in after[group, default: []] where !placed.contains(next) {
                before[next, default: 0] -= 1
                if before[next] == 0 { ready.append(next); ready.sort { key($0) < key($1) } }
            }
        }
        return (result, after, cyclic)
    }

    /// Puts each group, in order, in the leftmost lane right of every group it must come after
    /// whose runs lie a free row away from its own (a channel router's left-edge packing).
    ///
    /// Why no two edges then share a cell: groups in one lane run on rows apart. A run along a
    /// row crosses a lane between the lane's runs or across one, never where a run of that lane
    /// turns: a group turns only on its left row and its right rows, the left rows of a gap are
    /// all different (a box's middle row, or the row a long edge passes its rank on), as are
    /// the right rows (each edge has its own entry into its consumer, but where a box takes more
    /// edges than it has entries, and those share cells anyway), and a group whose left row is
    /// another's right row is in a lane left of it.
    ///
    /// - Complexity: O(groups × lanes × log groups).
    private mutating func pack(_ groups: [Int], after: [Int: Set<Int>], segments: [Segment]) {
        var span: [Int: (low: Int, high: Int)] = [:]
        for segment in segments {
            let low = min(segment.leftRow, segment.rightRow), high = max(segment.leftRow, segment.rightRow)
            let known = span[segment.group] ?? (low, high)
            span[segment.group] = (min(known.low, low), max(known.high, high))
        }
        var earliest: [Int: Int] = [:]
        // Per lane, the row spans it holds, ordered by their first row.
        var held: [[(low: Int, high: Int)]] = []
        for group in groups {
            let rows = span[group]!
            var candidate = earliest[group] ?? 0
            while candidate < held.count {
                let list = held[candidate]
                // The first span starting after this one's first row; the one before it.
                var low = 0, high = list.count
                while low < high {
                    let middle = (low + high) / 2
                    if list[middle].low <= rows.low { low = middle + 1 } else { high = middle }
                }
                // A free row between neighbours in a lane.
                let clearAfter = low == list.count || list[low].low > rows.high + 1
                let clearBefore = low == 0 || list[low - 1].high < rows.low - 1
                if clearAfter && clearBefore {
                    held[candidate].insert(rows, at: low)
                    break
                }
                candidate += 1
            }
            if candidate == held.count { held.append([rows]) }
            lane[group] = candidate
            for next in after[group, default: []] { earliest[next] = max(earliest[next] ?? 0, candidate + 1) }
        }
        count = held.count
    }
}
