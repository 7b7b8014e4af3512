/// What a character read from the terminal means as a key (an Esc and what follows it is
/// ``EscapeSequence``'s): shared by the driver and the terminal fuzzer.
enum KeyDecoding {
    /// The key for `scalar`, or nil for a control character that means nothing.
    static func key(for scalar: Unicode.Scalar) -> Key? {
        switch scalar.value {
        case 3: .interrupt
        case 9: .tab
        case 10, 13: .enter
        case 27: .escape
        case 8, 127: .backspace
        case 0..<32: nil
        default: .character(Character(scalar))
        }
    }
}
