/// The stepper's keys, each stated once: the keys, the message each sends, how `?` lists them,
/// how `gradflow step --help` sums them up, and the hint the status line gives for them.
///
/// ``KeyMap`` (outside the overlays), the `?` overlay, the status line and `step --help` all
/// read this table, so adding a key is one row here and its case in ``update(_:_:)``.
public enum KeyTable {
    /// What a key sends, given the model and the last frame drawn.
    typealias Meaning = @Sendable (StepperModel, Frame?) -> Message?

    /// One row: keys with one purpose.
    struct Row: Sendable {
        /// Each key and what it sends.
        let keys: [(key: Key, meaning: Meaning)]
        /// The keys as the `?` overlay lists them (nil: not listed), and what they do.
        let listed: String?
        let action: String
        /// The row in `step --help`'s one-line summary: `→ l space next`.
        let summary: [String]
        /// Its hints on the status line: in which focus, the keys, the word, and the place
        /// among that focus's hints.
        let hints: [Hint]
    }

    /// A hint on the status line.
    struct Hint: Sendable {
        let focus: Set<Focus>
        let keys: String
        /// The word; empty leaves the hint out (`e` in a scene without tensors).
        let word: @Sendable (StepperModel) -> String
        let rank: Int
    }

    static func send(_ message: Message) -> Meaning { { _, _ in message } }

    static func hint(_ focus: Set<Focus>, _ keys: String, _ word: String, rank: Int) -> Hint {
        Hint(focus: focus, keys: keys, word: { _ in word }, rank: rank)
    }

    static let everywhere: Set<Focus> = Set(Focus.allCases)

    /// Every key, in the order `?` lists them.
    static let rows: [Row] = [
        Row(keys: [(.right, send(.pan(.right))), (.character("l"), send(.pan(.right))),
                   (.character(" "), send(.next)), (.character("n"), send(.next))],
            listed: "→ l space", action: "next step", summary: ["→ l space next"],
            hints: [hint([.steps], "→", "next", rank: 0), hint([.graph], "space", "next", rank: 4),
                    hint([.trace], "← →", "step", rank: 2)]),
        Row(keys: [(.left, send(.pan(.left))), (.character("h"), send(.pan(.left))),
                   (.backspace, send(.back)), (.character("b"), send(.back))],
            listed: "← h Backspace", action: "previous step (undoes it exactly)", summary: ["← h back"],
            hints: [hint([.steps], "←", "back", rank: 1)]),
        Row(keys: [(.home, send(.first)), (.character("g"), send(.first)), (.end, send(.last)), (.character("G"), send(.last))],
            listed: "Home g / End G", action: "first / last step", summary: ["Home g / End G first / last step"], hints: []),
        Row(keys: [(.character("["), send(.previousPhase)), (.character("]"), send(.nextPhase))],
            listed: "[ ]", action: "previous / next phase", summary: ["[ ] phase"],
            hints: [hint([.steps], "[ ]", "phase", rank: 2)]),
        Row(keys: [(.character("p"), send(.togglePlay)), (.character("+"), send(.faster)), (.character("="), send(.faster)),
                   (.character("-"), send(.slower)), (.character("_"), send(.slower))],
            listed: "p", action: "play / pause;  + - faster / slower", summary: ["p play", "+ - speed"],
            hints: [Hint(focus: [.steps], keys: "p", word: { $0.isPlaying ? "pause" : "play" }, rank: 3)]),
        Row(keys: [(.tab, send(.focusNext)), (.backTab, send(.focusPrevious))],
            listed: "Tab", action: "focus: steps, graph, trace", summary: ["Tab focus"],
            hints: [hint(everywhere, "Tab", "focus", rank: 10)]),
        Row(keys: [(.up, send(.pan(.up))), (.down, send(.pan(.down))), (.character("j"), send(.pan(.down))),
                   (.character("k"), send(.pan(.up))), (.pageUp, send(.page(.up))), (.pageDown, send(.page(.down)))],
            listed: "arrows hjkl", action: "pan the focused pane", summary: ["arrows pan"],
            hints: [hint([.graph], "arrows", "pan", rank: 0), hint([.trace], "↑↓", "scroll", rank: 0),
                    hint([.trace], "PgUp PgDn", "page", rank: 1)]),
        Row(keys: [(.character("z"), send(.fit)),
                   (.character("Z"), { _, frame in .setZoom((frame?.zoom ?? .compact) == .detail ? .compact : .detail) })],
            listed: "z / Z", action: "fit the graph / zoom detail or compact", summary: ["z fit"],
            hints: [hint([.graph], "z", "fit", rank: 1), hint([.graph], "Z", "zoom", rank: 2)]),
        Row(keys: [(.character("/"), send(.find))], listed: "/", action: "find a node by name", summary: ["/ find"],
            hints: [hint(everywhere, "/", "find", rank: 11)]),
        Row(keys: [(.character("o"), send(.chooseOutput))], listed: "o", action: "choose the output to differentiate",
            summary: ["o output"], hints: []),
        Row(keys: [(.character("m"), send(.toggleMode)), (.character("i"), send(.chooseInput))],
            listed: "m / i", action: "reverse or forward mode / the input it seeds", summary: ["m mode", "i input"],
            hints: [hint([.steps], "m", "mode", rank: 4)]),
        Row(keys: [(.character("f"), send(.toggleFold))], listed: "f", action: "fold or unfold the group of the node",
            summary: ["f fold"], hints: [hint([.graph], "f", "fold", rank: 3)]),
        Row(keys: [(.character("e"), send(.toggleElements))], listed: "e",
            action: "open a tensor step into its elements / close it",
            summary: ["e elements"],
            hints: [Hint(focus: [.steps], keys: "e", word: { !$0.graph.hasTensors ? "" : $0.elementWalk == nil ? "elements" : "close" }, rank: 5)]),
        Row(keys: [(.character("<"), send(.trainingStep(-1))), (.character(">"), send(.trainingStep(1))),
                   (.character("{"), send(.trainingStep(-10))), (.character("}"), send(.trainingStep(10)))],
            listed: "< > { }", action: "training step back / on (and { } by ten)",
            summary: ["< > { } training step"], hints: []),
        Row(keys: [(.character("d"), send(.moreDigits))], listed: "d", action: "more digits (4, 6, 10, all)",
            summary: ["d digits"], hints: []),
        // Its hint is on the status line only while the step pane has more lines than rows.
        Row(keys: [(.character("s"), send(.moreInspector))], listed: "s",
            action: "next page of the step pane when it does not fit",
            summary: ["s more of the step"], hints: []),
        Row(keys: [], listed: "click", action: "inspect a node (Esc or a step returns)", summary: [], hints: []),
        Row(keys: [(.character("?"), send(.showHelp))], listed: nil, action: "this list of keys", summary: ["? all keys"],
            hints: [hint(everywhere, "?", "keys", rank: 12)]),
        Row(keys: [(.character("q"), send(.quit)), (.escape, { model, _ in model.inspected == nil && model.elementWalk == nil ? .quit : .cancel })],
            listed: "q Esc", action: "quit", summary: ["q quit"], hints: [hint(everywhere, "q", "quit", rank: 13)]),
    ]

    /// What `key` sends outside the overlays, if anything.
    static func meaning(of key: Key) -> Meaning? { byKey[key] }

    private static let byKey: [Key: Meaning] = {
        var table: [Key: Meaning] = [:]
        for row in rows {
            for (key, meaning) in row.keys {
                precondition(table[key] == nil, "\(key) is in two rows of the key table")
                table[key] = meaning
            }
        }
        return table
    }()

    /// The `?` overlay's lines: the keys and what they do.
    static var listing: [(keys: String, action: String)] { rows.compactMap { row in row.listed.map { ($0, row.action) } } }

    /// The status line's hints for the model's focus, in order.
    static func hints(_ model: StepperModel) -> [(keys: String, word: String)] {
        rows.flatMap(\.hints).filter { $0.focus.contains(model.focus) }.sorted { $0.rank < $1.rank }
            .map { ($0.keys, $0.word(model)) }.filter { !$0.word.isEmpty }
    }

    /// The keys in one line, for `gradflow step --help`.
    public static var summary: String {
        "Keys: " + rows.flatMap(\.summary).joined(separator: ", ") + "."
    }
}
