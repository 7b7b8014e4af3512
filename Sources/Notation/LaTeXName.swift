import Foundation

/// Node names in LaTeX math mode: one distinct, valid form per name, in ASCII only, so that
/// pdflatex compiles a handout without Unicode packages.
///
/// | name | LaTeX |
/// | --- | --- |
/// | `x`, `x1`, `θ`, `ℓ`, `ŷ`, `ȳ`, `ẏ` | `x`, `x1`, `\theta`, `\ell`, `\hat{y}`, `\overline{y}` (`\bar{y}` is the adjoint of `y`), `{\stackrel{.}{y}}` (`\dot{y}` is its tangent) |
/// | `v₂`, `h1₂` (versions: the name assigned again) | `v_{2}`, `h1_{2}` |
/// | `eps2`, `x_1`, `net.h2` | `\mathit{eps2}`, `\mathit{x\_1}`, `\mathit{net.h2}` |
/// | `中` (no LaTeX form without packages) | `\mbox{[U+4E2D]}` |
///
/// Digits of the name stay in the name and versions become subscripts, so `eps2` and `eps₂`
/// differ, and so do `h1₂` and `h12`.
enum LaTeXName {
    /// The LaTeX of a node's label.
    static func name(_ label: String) -> String {
        let parts = NameParts(label)
        return base(parts.base) + version(parts)
    }

    /// The label under an accent: `single` over the letter of a letter-with-digits name
    /// (`\bar{x}1`), `spanning` over any other name (`\overline{\mathit{x1w1}}`), or a prime
    /// after it when there is no spanning accent (`\mathit{x1w1}'`).
    static func decorated(_ parts: NameParts, single: String, spanning: String?) -> String {
        if parts.isLetterWithDigits, let first = parts.base.first {
            return "\(single){\(symbol(first))}\(parts.base.dropFirst())" + version(parts)
        }
        guard let spanning else { return base(parts.base) + version(parts) + "'" }
        return "\(spanning){\(base(parts.base))}" + version(parts)
    }

    private static func version(_ parts: NameParts) -> String {
        guard !parts.version.isEmpty else { return "" }
        let digits = parts.version.unicodeScalars.map { String(Character(Unicode.Scalar($0.value - 0x2080 + 0x30)!)) }
        return "_{\(digits.joined())}"
    }

    private static func base(_ base: String) -> String {
        let characters = Array(base)
        if characters.count == 1 { return symbol(characters[0]) }
        if let first = characters.first, first.isLetter, characters.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            let letter = symbol(first)
            return (letter.hasPrefix("\\") ? "{\(letter)}" : letter) + characters.dropFirst()
        }
        // Runs of ASCII in one italic group; anything else as its own symbol.
        var output = "", run = ""
        func flush() {
            if !run.isEmpty { output += "\\mathit{\(run)}" }
            run = ""
        }
        for character in characters {
            if character.isASCII {
                run += "_%&#${}".contains(character) ? "\\\(character)" : String(character)
            } else {
                flush()
                output += "{\(symbol(character))}"
            }
        }
        flush()
        return output
    }

    /// One character: an ASCII letter as itself, a Greek letter or `ℓ` as its command, a letter
    /// with accents as the accents over its letter (`\hat{y}`, `\ddot{o}`), else `\mbox{[U+XXXX]}`.
    static func symbol(_ character: Character) -> String {
        if character.isASCII { return String(character) }
        if let command = letters[character] { return command }
        let scalars = Array(String(character).decomposedStringWithCanonicalMapping.unicodeScalars)
        if scalars.count > 1, let base = scalars.first, Character(base).isASCII || letters[Character(base)] != nil,
           scalars.dropFirst().allSatisfy({ accents[$0.value] != nil }) {
            return scalars.dropFirst().reduce(symbol(Character(base))) { inner, accent in
                // A name's own dot is a dot set above it: `\dot{y}` is the tangent of `y`.
                accent.value == 0x0307 ? "{\\stackrel{.}{\(inner)}}" : "\(accents[accent.value]!){\(inner)}"
            }
        }
        return "\\mbox{[" + character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ") + "]}"
    }

    private static let accents: [UInt32: String] = [
        // A name's own macron or overline is `\overline`: `\bar{y}` is the adjoint of `y`; its
        // dot above is `\stackrel{.}{y}` (see ``symbol(_:)``): `\dot{y}` is the tangent of `y`.
        0x0300: "\\grave", 0x0301: "\\acute", 0x0302: "\\hat", 0x0303: "\\tilde", 0x0304: "\\overline",
        0x0305: "\\overline", 0x0306: "\\breve", 0x0307: "\\stackrel", 0x0308: "\\ddot", 0x030C: "\\check", 0x20D7: "\\vec",
    ]

    /// Greek letters (lower and upper case where LaTeX has them) and `ℓ`.
    static let letters: [Character: String] = {
        let lower = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
                     "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma",
                     "tau", "upsilon", "phi", "chi", "psi", "omega"]
        // Each letter its own command: ε and ϵ, φ and ϕ, θ and ϑ are different names.
        var table: [Character: String] = ["ℓ": "\\ell", "ϑ": "\\vartheta", "ϕ": "\\phi", "ϵ": "\\epsilon", "ε": "\\varepsilon", "φ": "\\varphi"]
        for (offset, name) in lower.enumerated() where name != "omicron" {
            let letter = Character(Unicode.Scalar(0x03B1 + UInt32(offset))!)
            if table[letter] == nil { table[letter] = "\\" + name }
        }
        for (letter, name) in [("Γ", "Gamma"), ("Δ", "Delta"), ("Θ", "Theta"), ("Λ", "Lambda"),
                               ("Ξ", "Xi"), ("Π", "Pi"), ("Σ", "Sigma"), ("Φ", "Phi"),
                               ("Ψ", "Psi"), ("Ω", "Omega")] {
            table[Character(letter)] = "\\" + name
        }
        return table
    }()
}
