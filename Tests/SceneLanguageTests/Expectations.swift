import Foundation
import TestSupport

/// A machine-readable expectation written in a scene's comments.
///
/// Two forms (documented in docs/scene-language.md):
/// - `# expect NAME = NUMBER`: the value of the node displayed as NAME (any node: `f`, `v₂`).
/// - `# expect d OUTPUT/d INPUT = NUMBER`: the gradient of an output with respect to an input.
///
/// Either may end with `within TOLERANCE` (relative; the default is 1e-12). In a tensor scene
/// the node or input names one element: `# expect h[1, 0] = 0.3`, `# expect d L/d W[0, 2] = 0.14`.
struct Expectation: CustomStringConvertible {
    enum Subject: Equatable {
        case value(node: String, element: [Int]?)
        case derivative(output: String, input: String, element: [Int]?)
    }

    var subject: Subject
    var expected: Double
    var tolerance: Double
    var line: Int

    /// Whether `actual` is the expected number within the relative tolerance. The tolerance is
    /// never also an absolute one: `7.7e-8 within 1e-7` must not accept 1.5e-7 (or 0). An
    /// expected 0 therefore asks for 0 itself (to within 1e-300).
    func holds(_ actual: Double) -> Bool {
        isClose(actual, expected, relative: tolerance)
    }

    var description: String {
        switch subject {
        case .value(let node, let element): "line \(line): \(node)\(Self.written(element)) = \(expected)"
        case .derivative(let output, let input, let element):
            "line \(line): d \(output)/d \(input)\(Self.written(element)) = \(expected)"
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
            guard let (input, element) = indexed(left[slash.upperBound...].trimmingCharacters(in: .whitespaces)) else { return nil }
            return Expectation(subject: .derivative(output: output, input: input, element: element),
                               expected: expected, tolerance: tolerance, line: line)
        }
        guard let (node, element) = indexed(left) else { return nil }
        return Expectation(subject: .value(node: node, element: element), expected: expected, tolerance: tolerance, line: line)
    }

    /// `W[0, 2]` → ("W", [0, 2]); `W` → ("W", nil); nil when the brackets do not hold whole numbers.
    private static func indexed(_ text: String) -> (String, [Int]?)? {
        guard let open = text.firstIndex(of: "[") else { return (text, nil) }
        guard text.hasSuffix("]") else { return nil }
        let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var element: [Int] = []
        for part in inside.split(separator: ",") {
            guard let position = Int(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            element.append(position)
        }
        return (String(text[..<open]).trimmingCharacters(in: .whitespaces), element)
    }

    private static func written(_ element: [Int]?) -> String {
        element.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" } ?? ""
    }
}
