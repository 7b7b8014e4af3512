/// The groups of a graph (function calls, loop iterations), each label written out only when read.
///
/// An unrolled loop opens a group per iteration; a label such as `repeat 12345/200000` built as
/// a `String` for each was a heap block and an allocation per iteration. Here a group is 32
/// bytes: a label template shared by all the iterations of one loop (`repeat …/200000`,
/// `for i = …`, or a fixed text such as `neuron(x1, w1)`), the iteration's number, its parent and
/// its nodes. Reading a group renders its label.
public struct GroupList: Sendable {
    /// What a group's label is made of; ``Annotations/Group/label`` is the rendered text.
    public enum Label: Sendable, Hashable {
        /// A fixed text, e.g. `neuron(x1, w1)`.
        case text(String)
        /// `repeat n/count`, the group's number being `n`.
        case repeatIteration(count: Int)
        /// `for i = n`, the group's number being `n`.
        case forIteration(variable: String)

        func rendered(_ number: Int) -> String {
            switch self {
            case .text(let text): text
            case .repeatIteration(let count): "repeat \(number)/\(count)"
            case .forIteration(let variable): "for \(variable) = \(number)"
            }
        }
    }

    /// A label template's index (see ``template(_:)``).
    public typealias Template = UInt32

    private struct Record: Sendable {
        var template: Template
        var parent: Int32
        var number: Int
        var start: NodeID
        var end: NodeID
    }

    private var records: [Record] = []
    private var templates: [Label] = []

    public init() {}

    /// A template for the labels of many groups, e.g. the iterations of one loop: store it once,
    /// then append each group with ``append(_:number:parent:nodes:)``.
    public mutating func template(_ label: Label) -> Template {
        templates.append(label)
        return Template(templates.count - 1)
    }

    /// Appends a group whose label is `template` rendered with `number`.
    public mutating func append(_ template: Template, number: Int, parent: Int?, nodes: Range<NodeID>) {
        precondition(Int(template) < templates.count, "a template of this list")
        records.append(Record(template: template, parent: Self.parentField(parent), number: number,
                              start: nodes.lowerBound, end: nodes.upperBound))
    }

    public mutating func append(_ group: Annotations.Group) {
        append(template(.text(group.label)), number: 0, parent: group.parent, nodes: group.nodes)
    }

    public mutating func removeLast() { records.removeLast() }

    /// Sets the nodes of group `index` (without writing out its label).
    public mutating func setNodes(of index: Int, to nodes: Range<NodeID>) {
        records[index].start = nodes.lowerBound
        records[index].end = nodes.upperBound
    }

    /// The nodes of group `index` (without writing out its label).
    public func nodes(of index: Int) -> Range<NodeID> { records[index].start..<records[index].end }

    private static func parentField(_ parent: Int?) -> Int32 {
        guard let parent else { return -1 }
        guard let field = Int32(exactly: parent), field >= 0 else { preconditionFailure("a group index, not \(parent)") }
        return field
    }
}

extension GroupList: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(index: Int) -> Annotations.Group {
        get {
            let record = records[index]
            return Annotations.Group(label: templates[Int(record.template)].rendered(record.number),
                                     parent: record.parent < 0 ? nil : Int(record.parent),
                                     nodes: record.start..<record.end)
        }
        set {
            var record = records[index]
            if newValue.label != self[index].label {
                record.template = template(.text(newValue.label))
                record.number = 0
            }
            record.parent = Self.parentField(newValue.parent)
            (record.start, record.end) = (newValue.nodes.lowerBound, newValue.nodes.upperBound)
            records[index] = record
        }
    }
}

extension GroupList: Equatable {
    public static func == (a: GroupList, b: GroupList) -> Bool { a.elementsEqual(b) }
}

extension GroupList: ExpressibleByArrayLiteral {
    public init(arrayLiteral groups: Annotations.Group...) {
        for group in groups { append(group) }
    }
}

/// The innermost group of each grouped node, kept as runs of consecutive nodes.
///
/// A tracer puts nodes into groups in the order it records them, so the nodes of one loop
/// iteration form one run: a run costs 12 bytes where a dictionary entry per node cost about 40.
/// Reads and writes by node behave like the dictionary `[NodeID: Int]` this replaces; the runs
/// are kept in one canonical form (no empty runs, no two neighbours in the same group), so two
/// values that map the same nodes to the same groups are equal.
public struct GroupMembership: Sendable, Equatable {
    /// Run `i` is the nodes `bounds[i]..<bounds[i + 1]`, in group `groups[i]` (-1: in none).
    private var bounds: [NodeID] = []
    private var groups: [Int32] = []

    public init() {}

    public subscript(node: NodeID) -> Int? {
        get {
            guard let first = bounds.first, node >= first, node < bounds[bounds.count - 1] else { return nil }
            // The last run starting at or before `node`.
            var low = 0, high = groups.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if bounds[middle] <= node { low = middle } else { high = middle - 1 }
            }
            return groups[low] < 0 ? nil : Int(groups[low])
        }
        set { assign(node..<(node + 1), to: newValue) }
    }

    /// Puts `nodes` into `group` (nil: into none). Appending after the last run, the way a
    /// tracer does, is constant time.
    public mutating func assign(_ nodes: Range<NodeID>, to group: Int?) {
        guard !nodes.isEmpty else { return }
        let field: Int32
        if let group {
            guard let value = Int32(exactly: group), value >= 0 else { preconditionFailure("a group index, not \(group)") }
            field = value
        } else {
            field = -1
        }
        guard let end = bounds.last else {
            if field >= 0 { bounds = [nodes.lowerBound, nodes.upperBound]; groups = [field] }
            return
        }
        if nodes.lowerBound >= end {
            guard field >= 0 else { return }
            if nodes.lowerBound > end { appendRun(until: nodes.lowerBound, -1) }
            appendRun(until: nodes.upperBound, field)
            return
        }
        rebuild(inserting: nodes, field)
    }

    private mutating func appendRun(until end: NodeID, _ group: Int32) {
        if groups.last == group {
            bounds[bounds.count - 1] = end
        } else {
            groups.append(group)
            bounds.append(end)
        }
    }

    /// The general case: `nodes` overlaps or precedes existing runs.
    private mutating func rebuild(inserting nodes: Range<NodeID>, _ group: Int32) {
        var runs: [(Range<NodeID>, Int32)] = []
        for index in groups.indices {
            let run = bounds[index]..<bounds[index + 1]
            let before = run.clamped(to: Int.min..<nodes.lowerBound)
            if !before.isEmpty { runs.append((before, groups[index])) }
        }
        runs.append((nodes, group))
        for index in groups.indices {
            let run = bounds[index]..<bounds[index + 1]
            let after = run.clamped(to: nodes.upperBound..<Int.max)
            if !after.isEmpty { runs.append((after, groups[index])) }
        }
        bounds = []
        groups = []
        for (run, group) in runs where group >= 0 {
            if bounds.isEmpty {
                bounds = [run.lowerBound, run.upperBound]
                groups = [group]
                continue
            }
            if run.lowerBound > bounds[bounds.count - 1] { appendRun(until: run.lowerBound, -1) }
            appendRun(until: run.upperBound, group)
        }
    }
}

extension GroupMembership: Sequence {
    public typealias Element = (key: NodeID, value: Int)

    /// Every grouped node in increasing order, with its innermost group.
    public func makeIterator() -> AnyIterator<Element> {
        var run = 0
        var node = bounds.first ?? 0
        return AnyIterator {
            while run < groups.count {
                if node >= bounds[run + 1] || groups[run] < 0 {
                    run += 1
                    if run < groups.count { node = bounds[run] }
                    continue
                }
                defer { node += 1 }
                return (node, Int(groups[run]))
            }
            return nil
        }
    }

    /// How many nodes are in a group.
    public var count: Int {
        groups.indices.reduce(0) { $0 + (groups[$1] < 0 ? 0 : bounds[$1 + 1] - bounds[$1]) }
    }

    public var isEmpty: Bool { groups.isEmpty }
}

extension GroupMembership: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (NodeID, Int)...) {
        for (node, group) in elements { self[node] = group }
    }
}
