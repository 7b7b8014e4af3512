/// What a cell is for, which the theme turns into colours and attributes.
///
/// The view never picks colours: it says what a piece of text *is* (the current node, a pending
/// node, an adjoint that just changed), and the driver's theme decides how that looks on this
/// terminal, with or without colour.
public enum Role: UInt8, Sendable, CaseIterable {
    /// Ordinary text.
    case text
    /// Not yet reached: pending nodes and rows, placeholders.
    case pending
    /// Emphasised ordinary text (names, column headers).
    case strong
    /// The title line.
    case title
    /// Pane separators and their titles.
    case frame
    /// The separator of the pane that has the keyboard focus.
    case focusedFrame
    /// The node the current step is about, in the graph pane.
    case currentNode
    /// The other node of the current step (the consumer passing its adjoint back).
    case partnerNode
    /// The current row of the trace pane.
    case currentRow
    /// An edge of the graph.
    case edge
    /// The edge that carries the current step's value or contribution.
    case activeEdge
    /// An adjoint or tangent.
    case derivative
    /// An adjoint or tangent that the current step has just changed.
    case freshDerivative
    /// A teaching note.
    case note
    /// A non-finite value, or something gone wrong.
    case warning
    /// The status line.
    case status
    /// A key name in the hints and the help.
    case key
    /// An overlay (help, chooser, find prompt).
    case overlay
    /// The selected entry of a chooser.
    case selection
    /// An entry of a matrix that the opened tensor step's current scalar contribution reads or
    /// writes (`e`).
    case element

    /// One character per role for text snapshots of styles.
    public var code: Character {
        switch self {
        case .text: " "
        case .pending: "."
        case .strong: "b"
        case .title: "T"
        case .frame: "-"
        case .focusedFrame: "="
        case .currentNode: "#"
        case .partnerNode: "+"
        case .currentRow: "r"
        case .edge: "e"
        case .activeEdge: "E"
        case .derivative: "d"
        case .freshDerivative: "D"
        case .note: "n"
        case .warning: "!"
        case .status: "s"
        case .key: "k"
        case .overlay: "o"
        case .selection: "S"
        case .element: "X"
        }
    }
}

/// One character cell of the screen: a grapheme (a base character with its combining marks)
/// and its role.
public struct Cell: Sendable, Equatable {
    /// What is drawn; ``Cell/continuation`` for the right half of a double-width character.
    public var character: Character
    public var role: Role

    public init(_ character: Character = " ", role: Role = .text) {
        self.character = character
        self.role = role
    }

    /// The placeholder occupying the second column of a double-width character.
    public static let continuationCharacter: Character = "\u{0}"

    /// Whether this cell is the right half of a double-width character drawn to its left.
    public var isContinuation: Bool { character == Cell.continuationCharacter }
}
