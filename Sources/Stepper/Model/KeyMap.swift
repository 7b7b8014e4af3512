import GradFlow

/// A key press (or click) as the driver reads it, independent of ncurses' codes.
public enum Key: Sendable, Equatable {
    case character(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace
    /// Ctrl-C.
    case interrupt
    /// A left click on a cell.
    case click(column: Int, row: Int)
}

/// Which message a key means, given what is on screen: the open overlay and the focused pane
/// change the meaning of some keys (arrows pan the focused pane; typing goes to the find prompt).
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
        switch key {
        case .click(let column, let row):
            return frame?.node(atColumn: column, row: row).map(Message.inspect)
        case .left, .right, .up, .down:
            let direction: Direction = key == .left ? .left : key == .right ? .right : key == .up ? .up : .down
            return .pan(direction)
        case .character(let character):
            return message(for: character, model: model, frame: frame)
        case .home: return .first
        case .end: return .last
        case .pageUp: return .page(.up)
        case .pageDown: return .page(.down)
        case .tab: return .focusNext
        case .backTab: return .focusPrevious
        case .backspace: return .back
        case .escape: return model.inspected == nil ? .quit : .cancel
        case .enter, .interrupt: return nil
        }
    }

    private static func message(for character: Character, model: StepperModel, frame: Frame?) -> Message? {
        switch character {
        case "h", "j", "k", "l":
            let direction: Direction = ["h": .left, "j": .down, "k": .up, "l": .right][character]!
            return .pan(direction)
        case " ", "n": return .next
        case "b": return .back
        case "g": return .first
        case "G": return .last
        case "]": return .nextPhase
        case "[": return .previousPhase
        case "p": return .togglePlay
        case "+", "=": return .faster
        case "-", "_": return .slower
        case "z": return .fit
        case "Z": return .setZoom((frame?.zoom ?? .compact) == .detail ? .compact : .detail)
        case "/": return .find
        case "o": return .chooseOutput
        case "m": return .toggleMode
        case "i": return .chooseInput
        case "f": return .toggleFold
        case "d": return .moreDigits
        case "?": return .showHelp
        case "q": return .quit
        default: return nil
        }
    }
}
