import Foundation

/// A machine-readable expectation written in a scene's comments.
///
/// Two forms (documented in docs/scene-language.md):
/// - `# expect NAME = NUMBER`: the value of the node displayed as NAME (any node: `f`, `v₂`).
/// - `# expect d OUTPUT/d INPUT = NUMBER`: the gradient of an output with respect to an input.
///
/// Either may end with `within TOLERANCE` (relative; the default is 1e-12).
struct Expectation: CustomStringConvertible {
    enum Subject: Equatable {
        case value(node: String)
        case derivative(output: String, input: String)
    }

    var subject: Subject
    var expected: Double
    var tolerance: Double
    var line: Int

    var description: String {
        switch subject {
        case .value(let node): "line \(line): \(node) = \(expected)"
        case .derivative(let output, let input): "line \(line): d \(output)/d \(input) = \(expected)"
        }
    }

    /// Every `# expect` line of a scene; nil for a malformed one (so a typo cannot go unnoticed).
    static func all(in text: String) -> [Expectation?] {
        var result: [Expectation?] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("# expect ") else { continue }
            result.append(parse(String(trimmed.dropFirst("# expect ".count)), line: index + 1))
        }
        return result
    }

    private static func parse(_ body: String, line: Int) -> Expectation? {
        let sides = body.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count == 2 else { return nil }
        var numberText = sides[1]
        var tolerance = 1e-12
        if let range = numberText.range(of: " within ") {
            guard let value = Double(numberText[range.upperBound...].trimmingCharacters(in: .whitespaces)) else { return nil }
            tolerance = value
            numberText = String(numberText[..<range.lowerBound])
        }
        guard let expected = Double(numberText.trimmingCharacters(in: .whitespaces)) else { return nil }
        let left = sides[0]
        if left.hasPrefix("d "), let slash = left.range(of: "/d ") {
            let output = left[left.index(left.startIndex, offsetBy: 2)..<slash.lowerBound].trimmingCharacters(in: .whitespaces)
            let input = left[slash.upperBound...].trimmingCharacters(in: .whitespaces)
            return Expectation(subject: .derivative(output: output, input: input), expected: expected, tolerance: tolerance, line: line)
        }
        return Expectation(subject: .value(node: left), expected: expected, tolerance: tolerance, line: line)
    }
}
