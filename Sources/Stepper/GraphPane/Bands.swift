/// A deep graph (a chain of twenty ranks, an unrolled loop) cut into bands in evaluation
/// order, drawn one under the other, as a long line of text wraps: the first ranks in the top band, the next
/// ones under it.
///
/// An edge from an earlier band into a later one is not drawn across the pane: the operand is
/// drawn again in the later band (a proxy, as for an input read by many), so each band is a
/// graph of its own and the reader continues from `[w₂]` at the end of one band to `[w₂]` at
/// the start of the next. An operand is drawn once per band, with an edge to each of its
/// readers there: drawn once per reader, polar-many-outputs at 80×24 showed r and θ four times
/// each, and not the fan-out from them that the scene is about.
enum Bands {
    /// The window's proxies and edges with the edges between bands replaced by proxies, and the
    /// band of every box.
    ///
    /// - Parameters:
    ///   - memberItems: the item of each member (boxes `0..<memberCount`); boxes from
    ///     `memberCount` on are `proxies`, each beside its consumer.
    ///   - edges: operand box → consumer box, operands before consumers among members.
    /// - Returns: the proxies (a band's copy of an operand is beside the first of its readers
    ///   there), the edges between boxes, the band of every box. The proxies given stay one
    ///   per reader: the styles with leaves beside their readers are tried after those without,
    ///   for a graph whose bands do not fit with the long edges from its inputs.
    static func cut(memberCount: Int, memberItems: [Int], edges: [(from: Int, to: Int)],
                    proxies: [(item: Int, consumer: Int)], count: Int)
        -> (proxies: [(item: Int, consumer: Int)], edges: [(from: Int, to: Int)], bandOfBox: [Int])
    {
        let boxCount = memberCount + proxies.count
        guard count > 1, memberCount > 1 else { return (proxies, edges, Array(repeating: 0, count: boxCount)) }
        // Members that read other members are cut into runs of equal length in evaluation
        // order (operands come first, so edges only run into the same or a later band; an
        // unrolled loop's iterations stay together). Members that read none (inputs,
        // constants) go into the band of their first consumer.
        var isSource = [Bool](repeating: true, count: memberCount)
        var consumers = [[Int]](repeating: [], count: memberCount)
        for edge in edges where edge.from < memberCount && edge.to < memberCount {
            isSource[edge.to] = false
            consumers[edge.from].append(edge.to)
        }
        let inner = (0..<memberCount).filter { !isSource[$0] }
        guard inner.count >= count else { return (proxies, edges, Array(repeating: 0, count: boxCount)) }
        var band = [Int](repeating: 0, count: memberCount)
        for (position, member) in inner.enumerated() { band[member] = position * count / inner.count }
        for member in 0..<memberCount where isSource[member] {
            band[member] = consumers[member].map { band[$0] }.min() ?? 0
        }
        // A graph whose nodes read from far back (each summing all earlier ones) would need a
        // copy of an operand for nearly every edge: more boxes than it has, and a drawing that
        // explains nothing. It is not cut.
        let crossing = edges.count { $0.from < memberCount && $0.to < memberCount && band[$0.from] < band[$0.to] }
        guard crossing <= memberCount else { return (proxies, edges, Array(repeating: 0, count: boxCount)) }
        var newProxies = proxies
        var bandOfBox = band + proxies.map { band[$0.consumer] }
        var newEdges: [(from: Int, to: Int)] = []
        // The box of a member's copy in a later band, keyed `member * count + band`.
        var copyInBand: [Int: Int] = [:]
        for edge in edges {
            guard edge.from < memberCount, edge.to < memberCount, band[edge.from] < band[edge.to] else {
                newEdges.append(edge)
                continue
            }
            let key = edge.from * count + band[edge.to]
            if copyInBand[key] == nil {
                newProxies.append((memberItems[edge.from], edge.to))
                bandOfBox.append(band[edge.to])
                copyInBand[key] = memberCount + newProxies.count - 1
            }
            newEdges.append((copyInBand[key]!, edge.to))
        }
        return (newProxies, newEdges, bandOfBox)
    }
}
