/// The display name of every named node, kept as a base name and a number and written out only
/// when someone reads it.
///
/// A scene that reassigns `v` a million times names a million nodes `v`, `v₂`, … `v₁₀₀₀₀₀₀`,
/// and most unnamed nodes become `t1`, `t2`, …; building a `String` for each (and hashing it
/// into a dictionary) was most of the cost of tracing a long loop. Here a node costs eight
/// bytes: the index of its base name in a table of distinct bases and its version (or, for a
/// temporary, its number). Reading a name renders it: base, then the version in subscript
/// digits when it is 2 or more; `t` then the number in ASCII digits for a temporary.
///
/// Reads and writes by node behave like the dictionary `[NodeID: String]` this replaces, and
/// two values are equal when they name the same nodes the same, however the names were stored.
public struct NodeNames: Sendable {
    /// A base name's index in the table of bases.
    public typealias Base = UInt32

    private struct Entry: Sendable, Equatable {
        var base: Base
        var number: UInt32
        static let unnamed = Entry(base: NodeNames.unnamedBase, number: 0)
    }

    private static let unnamedBase: Base = 0
    private static let temporaryBase: Base = 1

    /// Indexed by node; nodes past the end are unnamed.
    private var entries: [Entry] = []
    private var bases: [String] = ["", "t"]
    private var baseIndex: [String: Base] = [:]
    /// How many nodes have a name.
    public private(set) var count = 0

    public init() {}

    public init(_ names: [NodeID: String]) {
        for (node, name) in names.sorted(by: { $0.key < $1.key }) { self[node] = name }
    }

    /// The index of `name` as a base, added to the table the first time.
    public mutating func base(_ name: String) -> Base {
        if let known = baseIndex[name] { return known }
        let index = Base(bases.count)
        bases.append(name)
        baseIndex[name] = index
        return index
    }

    /// Names `node` with version `version` (1 or more) of a base: `v` for 1, `v₂` for 2.
    public mutating func setName(of node: NodeID, base: Base, version: Int) {
        set(Entry(base: base, number: Self.number(version)), at: node)
    }

    /// Names `node` `t` followed by `number`, a temporary's name.
    public mutating func setTemporaryName(of node: NodeID, number: Int) {
        set(Entry(base: Self.temporaryBase, number: Self.number(number)), at: node)
    }

    /// Whether `node` has a name (without writing the name out).
    public func isNamed(_ node: NodeID) -> Bool {
        node >= 0 && node < entries.count && entries[node].base != Self.unnamedBase
    }

    /// Whether `node` is named by the scene (`h`, `loss₂`), not a temporary `t12` or unnamed.
    public func isNamedByTheScene(_ node: NodeID) -> Bool {
        isNamed(node) && entries[node].base != Self.temporaryBase
    }

    /// The numbers `n` of the names `tn` that are in use as base names (a scene's variable
    /// called `t3`): temporaries must skip them.
    public var temporaryNumbersTaken: Set<Int> {
        var taken = Set<Int>()
        for name in bases.dropFirst(2) {
            if let number = Self.temporaryNumber(name) { taken.insert(number) }
        }
        return taken
    }

    public mutating func reserveCapacity(_ nodes: Int) { entries.reserveCapacity(nodes) }

    public subscript(node: NodeID) -> String? {
        get {
            guard isNamed(node) else { return nil }
            return render(entries[node])
        }
        set {
            guard let newValue else {
                if isNamed(node) { entries[node] = .unnamed; count -= 1 }
                return
            }
            set(Entry(base: base(newValue), number: 1), at: node)
        }
    }

    private mutating func set(_ entry: Entry, at node: NodeID) {
        precondition(node >= 0, "a node number is never negative")
        if node >= entries.count {
            entries.append(contentsOf: repeatElement(.unnamed, count: node - entries.count + 1))
        }
        if entries[node].base == Self.unnamedBase { count += 1 }
        entries[node] = entry
    }

    private static func number(_ value: Int) -> UInt32 {
        guard let number = UInt32(exactly: value), number > 0 else {
            preconditionFailure("a version or temporary number is between 1 and \(UInt32.max), not \(value)")
        }
        return number
    }

    private func render(_ entry: Entry) -> String {
        if entry.base == Self.temporaryBase {
            return Self.digitString(Int(entry.number), prefix: "t", asSubscript: false)
        }
        let base = bases[Int(entry.base)]
        return entry.number == 1 ? base : Self.digitString(Int(entry.number), prefix: base, asSubscript: true)
    }

    /// `12` for the name `t12`; nil for any name not of the form `t<digits>`.
    public static func temporaryNumber(_ name: String) -> Int? {
        let utf8 = name.utf8
        guard utf8.first == UInt8(ascii: "t"), utf8.count > 1, utf8.count < 19,
              utf8.dropFirst().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(name.dropFirst())
    }

    /// `prefix` followed by the decimal digits of `number` (≥ 0), as ASCII or as subscripts,
    /// written into one string's bytes at once.
    ///
    /// A subscript digit is the three UTF-8 bytes E2 82 8d (U+2080 + d).
    static func digitString(_ number: Int, prefix: String, asSubscript: Bool) -> String {
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
}

extension NodeNames: Sequence {
    public typealias Element = (key: NodeID, value: String)

    /// The named nodes in increasing order, each with its name.
    public func makeIterator() -> AnyIterator<Element> {
        var node = 0
        return AnyIterator {
            while node < entries.count {
                defer { node += 1 }
                if entries[node].base != Self.unnamedBase { return (node, render(entries[node])) }
            }
            return nil
        }
    }

    public var underestimatedCount: Int { count }

    /// Every name, in node order.
    public var values: [String] { map(\.value) }

    public var isEmpty: Bool { count == 0 }
}

extension NodeNames: Equatable {
    public static func == (a: NodeNames, b: NodeNames) -> Bool {
        if a.entries == b.entries, a.bases == b.bases { return true }
        guard a.count == b.count else { return false }
        return a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension NodeNames: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (NodeID, String)...) {
        for (node, name) in elements { self[node] = name }
    }
}
