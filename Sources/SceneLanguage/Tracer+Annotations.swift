import GradFlow

/// Names, versions and groups: what makes the recorded graph readable.
///
/// Naming rules (documented in the README): a user name as written; a name assigned again gets
/// versions `v`, `v₂`, `v₃`; a function's local `s` is `f.s` (and `f.s₂` in the next call); a
/// `randn` leaf is `randn(7)`; every other node is `t1`, `t2`, … skipping names already taken.
/// Since names in a scene cannot contain `.` or subscript digits, no two nodes share a name.
extension Tracer {
    /// The base name for an assignment to `name` in the current scope.
    func localName(_ name: String) -> String {
        guard let function = scopes[scopes.count - 1].function else { return name }
        return "\(function).\(name)"
    }

    /// Names `node` with the next version of `base`.
    mutating func giveName(_ base: String, to node: NodeID) {
        graph.annotations.names[node] = nextVersion(of: base)
    }

    private mutating func nextVersion(of base: String) -> String {
        // One access (one hash of `base`), not two: this runs for every assignment in every loop iteration.
        let count = Tracer.incremented(&versionCounts[base, default: 0])
        return count == 1 ? base : Tracer.digitString(count, prefix: base, asSubscript: true)
    }

    private static func incremented(_ count: inout Int) -> Int {
        count += 1
        return count
    }

    /// `t7`, `t12`, …: a temporary's name.
    static func temporaryName(_ number: Int) -> String {
        digitString(number, prefix: "t", asSubscript: false)
    }

    /// `prefix` followed by the decimal digits of `number` (≥ 0), as ASCII or as subscripts,
    /// written into one string's bytes at once.
    ///
    /// A subscript digit is the three UTF-8 bytes E2 82 8d (U+2080 + d). Every `v = …` in a loop
    /// and every unnamed node pays for one such name, so this avoids building the string through
    /// Characters, interpolation or concatenation (see the README's Benchmarks section).
    private static func digitString(_ number: Int, prefix: String, asSubscript: Bool) -> String {
        let value = Swift.max(number, 0)
        var digitCount = 1, rest = value
        while rest >= 10 { rest /= 10; digitCount += 1 }
        let width = asSubscript ? 3 : 1
        let prefixBytes = prefix.utf8.count
        return String(unsafeUninitializedCapacity: prefixBytes + width * digitCount) { buffer in
            _ = buffer.initialize(fromContentsOf: prefix.utf8)
            var remaining = value
            var end = prefixBytes + width * digitCount
            repeat {
                let digit = UInt8(remaining % 10)
                remaining /= 10
                end -= width
                if asSubscript {
                    buffer[end] = 0xE2
                    buffer[end + 1] = 0x82
                    buffer[end + 2] = 0x80 + digit
                } else {
                    buffer[end] = UInt8(ascii: "0") + digit
                }
            } while end > prefixBytes
            return prefixBytes + width * digitCount
        }
    }

    /// Runs `body` inside a group labelled `label` (when recording), counting it against the
    /// limit on loop iterations and calls.
    mutating func inGroup<Result>(
        _ label: String, at offset: Int, _ body: (inout Tracer) throws(Diagnostic) -> Result
    ) throws(Diagnostic) -> Result {
        groupsOpened += 1
        if groupsOpened > limits.maxNodes {
            throw error("the scene runs more than \(limits.maxNodes) loop iterations and calls (raise the limit with --max-nodes)", at: offset)
        }
        guard recording else { return try body(&self) }
        assignOpenGroup()
        let index = graph.annotations.groups.count
        graph.annotations.groups.append(
            Annotations.Group(label: label, parent: openGroups.last, nodes: graph.count..<graph.count))
        openGroups.append(index)
        defer {
            assignOpenGroup()
            openGroups.removeLast()
            let start = graph.annotations.groups[index].nodes.lowerBound
            if graph.count == start, index == graph.annotations.groups.count - 1 {
                // An iteration that recorded nothing (a branch not taken) is not worth a box.
                graph.annotations.groups.removeLast()
            } else {
                graph.annotations.groups[index].nodes = start..<graph.count
            }
        }
        return try body(&self)
    }

    /// Puts the nodes recorded since the last call into the innermost open group. Called
    /// whenever the innermost group changes, so each node is visited once.
    mutating func assignOpenGroup() {
        if let group = openGroups.last {
            for node in groupedUpTo..<graph.count { graph.annotations.groupOfNode[node] = group }
        }
        groupedUpTo = graph.count
    }

    mutating func checkNodeLimit(at offset: Int) throws(Diagnostic) {
        if graph.count > limits.maxNodes {
            throw error("the scene makes more than \(limits.maxNodes) nodes (raise the limit with --max-nodes)", at: offset)
        }
    }

    /// Names every node still unnamed: `randn(…)` leaves, then `t1`, `t2`, … for the rest.
    ///
    /// Only names of the form `t<digits>` can collide with a temporary, so only their numbers
    /// are collected (hashing every name, most with subscript digits, was the slowest part of
    /// tracing a large scene).
    mutating func nameRemainingNodes() {
        assignOpenGroup()
        var takenTemporaries = Set<Int>()
        for name in graph.annotations.names.values {
            if let number = Tracer.temporaryNumber(name) { takenTemporaries.insert(number) }
        }
        graph.annotations.names.reserveCapacity(graph.count)
        var nextTemporary = 1
        for node in graph.nodes where graph.annotations.names[node] == nil {
            if !pendingNames.isEmpty, let pending = pendingNames[node] {
                graph.annotations.names[node] = nextVersion(of: pending)
                continue
            }
            while takenTemporaries.contains(nextTemporary) { nextTemporary += 1 }
            graph.annotations.names[node] = Tracer.temporaryName(nextTemporary)
            nextTemporary += 1
        }
    }

    /// `12` for the name `t12`; nil for any name not of the form `t<digits>`.
    static func temporaryNumber(_ name: String) -> Int? {
        let utf8 = name.utf8
        guard utf8.first == UInt8(ascii: "t"), utf8.count > 1, utf8.count < 19,
              utf8.dropFirst().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(name.dropFirst())
    }
}
