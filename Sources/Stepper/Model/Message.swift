import GradFlow

/// Something that happened: a key, a click, a timer tick, a resize. ``update(_:_:)`` turns a
/// model and a message into the next model.
public enum Message: Sendable, Equatable {
    // The timeline.
    case next, back, first, last, nextPhase, previousPhase
    case goTo(step: Int)
    case togglePlay, faster, slower
    /// The play timer fired.
    case tick

    // Panes and the camera.
    case focusNext, focusPrevious
    /// Pans the graph pane or scrolls the trace pane, whichever has the focus.
    case pan(Direction)
    /// Scrolls the trace pane by a page.
    case page(Direction)
    /// Shows the whole graph (or as much as fits) again: the automatic zoom, no panning.
    case fit
    case setZoom(Zoom)
    case moreDigits
    /// Shows the next page of the step pane when its lines do not all fit (`s`).
    case moreInspector

    // What is differentiated.
    case toggleMode
    case chooseOutput, chooseInput

    // Nodes.
    case toggleFold
    /// Opens the current tensor step into its scalar contributions, or closes it (`e`).
    case toggleElements
    case find
    /// Moves a training scene's stepper this many training steps (`<` `>` one, `{` `}` ten).
    /// The driver answers it (it records the other step's graph); the model alone ignores it.
    case trainingStep(Int)
    case inspect(NodeID)

    // Overlays: typing into the find prompt, picking from a chooser, help.
    case showHelp
    case type(Character)
    case deleteBackward
    case confirm
    case cancel

    case resize(columns: Int, rows: Int)
    case quit
}

/// A direction on screen.
public enum Direction: Sendable, Equatable {
    case up, down, left, right
}
