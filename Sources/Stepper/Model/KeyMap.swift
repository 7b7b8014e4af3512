import GradFlow

/// A key press (or click) as the driver reads it, independent of ncurses' codes.
public enum Key: Sendable, Hashable {
    case character(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace
    /// Ctrl-C.
    case interrupt
    /// A left click on a cell.
    case click(column: Int, row: Int)
}

/// Which message a key means, given what is on screen: an open overlay takes the keys first
/// (typing goes to the find prompt); otherwise the ``KeyTable`` says.
public enum KeyMap {
    /// The message for `key`, or nil if it means nothing here.
    ///
    /// - Parameter frame: the last frame drawn, for clicks and for `Z` (which toggles the zoom
    ///   the graph pane chose).
    public static func message(for key: Key, model: StepperModel, frame: Frame?) -> Message? {
        if key == .interrupt { return .quit }
        switch model.overlay {
        case .find?:
            switch key {
            case .character(let character): return .type(character)
            case .backspace: return .deleteBackward
            case .enter: return .confirm
            case .escape: return .cancel
            default: return nil
            }
        case .chooser?:
            switch key {
            case .up, .character("k"), .left, .character("h"): return .pan(.up)
            case .down, .character("j"), .right, .character("l"), .tab: return .pan(.down)
            case .enter, .character(" "): return .confirm
            case .escape, .character("q"): return .cancel
            default: return nil
            }
        case .help?:
            return .cancel
        case nil:
            break
        }
        if case .click(let column, let row) = key {
            return frame?.node(atColumn: column, row: row).map(Message.inspect)
        }
        return KeyTable.meaning(of: key)?(model, frame)
    }
}
