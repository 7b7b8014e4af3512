/// The notations of the survey's tables for adjoints (x̄) and tangents (ẋ).
enum Notation {
    /// `x̄1` for a one-letter name with digits (the survey's style), an overline over every
    /// character otherwise (`x̅1̅w̅1̅`, which terminals draw as one bar).
    static func adjoint(_ name: String) -> String { decorate(name, single: "\u{0304}", spanning: "\u{0305}") }

    /// `ẋ1` for a one-letter name with digits; a prime otherwise (`x1w1′`), since a row of dots
    /// would read as noise.
    static func tangent(_ name: String) -> String {
        isLetterWithDigits(name) ? decorate(name, single: "\u{0307}", spanning: nil) : name + "′"
    }

    private static func decorate(_ name: String, single: Character, spanning: Character?) -> String {
        if isLetterWithDigits(name) {
            var characters = Array(name.unicodeScalars)
            characters.insert(single.unicodeScalars.first!, at: 1)
            var output = ""
            output.unicodeScalars.append(contentsOf: characters)
            return output
        }
        guard let spanning else { return name }
        var output = ""
        for character in name {
            output.append(character)
            output.unicodeScalars.append(spanning.unicodeScalars.first!)
        }
        return output
    }

    /// One letter (a single Unicode scalar), then only digits (ASCII or subscript).
    private static func isLetterWithDigits(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, first.properties.isAlphabetic else { return false }
        return scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) || (0x2080...0x2089).contains($0.value) }
    }
}
