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

    /// The base name of an assignment to `slot` in the current scope, found in the graph's
    /// table of names once per function and name (see ``assignedBases``).
    mutating func assignedBase(_ slot: Int) -> NodeNames.Base {
        let index = scopes[scopes.count - 1].functionNumber * nameSlots.count + slot
        guard slot < nameSlots.count, index < assignedBases.count else {
            // A name made up while tracing, past the slots counted when the tracer was made.
            return graph.annotations.names.base(localName(nameSlots.names[slot]))
        }
        if assignedBases[index] == Tracer.unknownBase {
            assignedBases[index] = graph.annotations.names.base(localName(nameSlots.names[slot]))
        }
        return assignedBases[index]
    }

    /// What `slot` is bound to in scope `scope` (nothing for a slot past the scope's end).
    func binding(_ slot: Int, inScope scope: Int) -> Slot {
        slot < scopes[scope].slots.count ? scopes[scope].slots[slot] : Slot()
    }

    /// Binds `slot` in scope `scope`.
    mutating func bind(_ slot: Int, _ binding: Slot, inScope scope: Int) {
        if slot >= scopes[scope].slots.count {
            scopes[scope].slots.append(contentsOf: repeatElement(Slot(), count: slot - scopes[scope].slots.count + 1))
        }
        scopes[scope].slots[slot] = binding
    }

    /// Binds `name` at the top level (`gradflow eval`'s `--at` inputs).
    mutating func bindAtTopLevel(_ name: String, to term: Term) {
        bind(nameSlots.slot(name), Slot(term: term), inScope: 0)
    }

    /// Names `node` with the next version of `base`.
    mutating func giveName(_ base: String, to node: NodeID) {
        giveName(graph.annotations.names.base(base), to: node)
    }

    /// Names `node` with the next version of a base already in the graph's table of names:
    /// a number is stored, the name is written out only when read (see ``NodeNames``).
    mutating func giveName(_ base: NodeNames.Base, to node: NodeID) {
        let index = Int(base)
        if index >= versionCounts.count {
            versionCounts.append(contentsOf: repeatElement(0, count: index - versionCounts.count + 1))
        }
        versionCounts[index] += 1
        graph.annotations.names.setName(of: node, base: base, version: versionCounts[index])
    }

    /// Runs `body` inside a group labelled `label` (when recording), counting it against the
    /// limit on loop iterations and calls.
    mutating func inGroup<Result>(
        _ label: String, at offset: Int, _ body: (inout Tracer) throws(Diagnostic) -> Result
    ) throws(Diagnostic) -> Result {
        let template = recording ? graph.annotations.groups.template(.text(label)) : 0
        return try inGroup(template, number: 0, at: offset, body)
    }

    /// Runs `body` inside a group labelled by `template` and `number` (when recording): a loop
    /// makes its template once and numbers its iterations, so no label is written per iteration.
    mutating func inGroup<Result>(
        _ template: GroupList.Template, number: Int, at offset: Int, _ body: (inout Tracer) throws(Diagnostic) -> Result
    ) throws(Diagnostic) -> Result {
        groupsOpened += 1
        if groupsOpened > limits.maxNodes {
            throw error("the scene runs more than \(limits.maxNodes) loop iterations and calls (raise the limit with --max-nodes)", at: offset)
        }
        guard recording else { return try body(&self) }
        assignOpenGroup()
        let index = graph.annotations.groups.count
        graph.annotations.groups.append(template, number: number, parent: openGroups.last, nodes: graph.count..<graph.count)
        openGroups.append(index)
        defer {
            assignOpenGroup()
            openGroups.removeLast()
            let start = graph.annotations.groups.nodes(of: index).lowerBound
            if graph.count == start, index == graph.annotations.groups.count - 1 {
                // An iteration that recorded nothing (a branch not taken) is not worth a box.
                graph.annotations.groups.removeLast()
            } else {
                graph.annotations.groups.setNodes(of: index, to: start..<graph.count)
            }
        }
        return try body(&self)
    }

    /// Puts the nodes recorded since the last call into the innermost open group. Called
    /// whenever the innermost group changes, so each node is visited once.
    mutating func assignOpenGroup() {
        if let group = openGroups.last {
            graph.annotations.groupOfNode.assign(groupedUpTo..<graph.count, to: group)
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
    /// Only names of the form `t<digits>` can collide with a temporary; they can only be base
    /// names, so only the table of bases is searched. A temporary's name is its number, stored.
    mutating func nameRemainingNodes() {
        assignOpenGroup()
        let takenTemporaries = graph.annotations.names.temporaryNumbersTaken
        graph.annotations.names.reserveCapacity(graph.count)
        var nextTemporary = 1
        for node in graph.nodes where !graph.annotations.names.isNamed(node) {
            if !pendingNames.isEmpty, let pending = pendingNames[node] {
                giveName(pending, to: node)
                continue
            }
            while !takenTemporaries.isEmpty, takenTemporaries.contains(nextTemporary) { nextTemporary += 1 }
            graph.annotations.names.setTemporaryName(of: node, number: nextTemporary)
            nextTemporary += 1
        }
    }
}
