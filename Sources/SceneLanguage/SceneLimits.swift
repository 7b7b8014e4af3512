/// The limits that keep any scene, however hostile, from exhausting memory, the stack or time.
///
/// Every limit that a scene runs into is reported as a diagnostic at the statement that crossed
/// it, naming the limit (and the `gradflow` flag that raises it, where there is one).
public struct SceneLimits: Sendable, Equatable {
    /// The most nodes a scene may record (`--max-nodes`). Loop iterations and function calls
    /// are also counted against it (each opens a group), so that an empty `repeat
    /// 1000000000000 { }` stops as promptly as one that records nodes.
    public var maxNodes: Int
    /// The deepest nesting of parentheses, unary operators, `^`, calls and blocks.
    public var maxNestingDepth: Int
    /// The largest scene file, in bytes (UTF-8).
    public var maxSourceBytes: Int
    /// The deepest chain of function calls (`--max-call-depth`): a recursive `fn` without a
    /// base case stops here.
    public var maxCallDepth: Int
    /// The longest name, in characters (Unicode scalars): every tool shows names in tables,
    /// boxes and terminal cells, where a name of a megabyte would bury everything else.
    public var maxNameLength: Int
    /// The longest string (a title or a note), in characters (Unicode scalars).
    public var maxStringLength: Int
    /// The most tensor elements a scene may hold in all its tensor nodes' values
    /// (`--max-elements`). The default, 2^23 (64 MiB of values), keeps `grad` and `check` of any
    /// scene within about 0.5 GB and 1 GB: an elementwise node also keeps one partial per operand
    /// element, the backward pass one adjoint per element, and `check` traces the scene again.
    public var maxTensorElements: Int

    public init(
        maxNodes: Int = 1_000_000, maxNestingDepth: Int = 200, maxSourceBytes: Int = 64 << 20, maxCallDepth: Int = 1_000,
        maxNameLength: Int = 256, maxStringLength: Int = 4_096, maxTensorElements: Int = 1 << 23
    ) {
        self.maxNodes = maxNodes
        self.maxNestingDepth = maxNestingDepth
        self.maxSourceBytes = maxSourceBytes
        self.maxCallDepth = maxCallDepth
        self.maxNameLength = maxNameLength
        self.maxStringLength = maxStringLength
        self.maxTensorElements = maxTensorElements
    }

    /// The defaults: a million nodes, 200 levels of nesting, 64 MiB of source, 1,000 nested
    /// calls, names of 256 characters, titles or notes of 4,096 and 8,388,608 tensor elements.
    public static let standard = SceneLimits()
}
