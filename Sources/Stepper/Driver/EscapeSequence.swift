/// Escape sequences that ncurses did not recognise as keys.
///
/// ncurses decodes only the sequences its terminfo entry lists. When `TERM` names another
/// terminal than the one in use (`xterm-256color` inside tmux is common), End arrives as
/// `ESC [ 4 ~` while the entry expects `ESC O F`, and ncurses hands over ESC, `[`, `4`, `~` one
/// by one: a lone Esc, which quits. The driver reads the rest of such a sequence itself and
/// asks this table what it meant; what it does not know is dropped whole.
enum EscapeSequence {
    /// The longest sequence read after an Esc before giving up (real ones are under ten bytes).
    static let maximumLength = 16

    /// Whether `scalar`, read after `ESC [`, ends the sequence (a CSI final byte).
    static func endsControlSequence(_ scalar: Unicode.Scalar) -> Bool {
        (0x40...0x7E).contains(scalar.value)
    }

    /// The key meant by the characters after ESC (`[4~`, `OF`, `[1;5C`…), or nil.
    static func key(after escape: String) -> Key? {
        switch escape {
        case "[A", "OA": .up
        case "[B", "OB": .down
        case "[C", "OC": .right
        case "[D", "OD": .left
        case "[H", "OH", "[1~", "[7~": .home
        case "[F", "OF", "[4~", "[8~": .end
        case "[5~": .pageUp
        case "[6~": .pageDown
        default: nil
        }
    }
}
