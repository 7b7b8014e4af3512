import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// No byte sequence crashes or hangs the lexer, parser or tracer: each gets a diagnostic.
@Suite struct HostileInputTests {
    @Test func hundredThousandNestedParenthesesAreADiagnostic() {
        let text = "input x = 1\ny = " + String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000) + "\noutput y"
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.column == 5 + 200)
        #expect(found.first?.message == "nesting deeper than 200 levels (parentheses, operators, calls and blocks)")
    }

    @Test func aRaisedNestingLimitIsCappedByTheStack() {
        // 1 GiB of stack holds 16,384 levels of the parser's recursion with a wide margin.
        let text = "y = " + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000) + "\noutput y"
        let found = diagnostics(text, limits: SceneLimits(maxNestingDepth: 10_000_000))
        #expect(found.first?.message == "nesting deeper than 16384 levels (parentheses, operators, calls and blocks)")
    }

    @Test func deepNestingOfEveryKindIsADiagnostic() {
        let depth = 1_000
        let kinds = [
            String(repeating: "-", count: depth) + "x",
            String(repeating: "x^", count: depth) + "x",
            String(repeating: "sin(", count: depth) + "x" + String(repeating: ")", count: depth),
            "0\nif " + String(repeating: "not ", count: depth) + "x > 0 { y = 1 }",
            "0\n" + String(repeating: "repeat 1 { ", count: depth) + String(repeating: "}", count: depth),
        ]
        for kind in kinds {
            let found = diagnostics("input x = 1\ny = \(kind)\noutput x")
            #expect(found.first?.message.hasPrefix("nesting deeper than 200 levels") == true, "\(kind.prefix(20))")
        }
    }

    @Test func nestingJustInsideTheLimitTraces() throws {
        let scene = try trace("input x = 1\ny = " + String(repeating: "(", count: 190) + "x" + String(repeating: ")", count: 190) + " * 2\noutput y")
        #expect(scene.graph.count == 2)
    }

    @Test func longSumsAreFlatNotDeep() throws {
        // 5,000 terms: no nesting limit, since a chain of + is one level.
        let terms = Array(repeating: "x", count: 5_000).joined(separator: " + ")
        let scene = try trace("input x = 1\ny = \(terms)\noutput y")
        #expect(scene.value("y") == 5_000)
        #expect(scene.derivative(of: "y", by: "x") == 5_000)
    }

    @Test func deepRecursionWithRaisedLimitsStopsAtTheEvaluationBound() {
        let limits = SceneLimits(maxNodes: 100_000_000, maxCallDepth: 10_000_000)
        let found = diagnostics("input x = 1\nfn f(a) = f(a) + 1\ny = f(x)\noutput y", limits: limits)
        #expect(found.first?.message == "evaluation nested more than 20000 levels deep through function calls and blocks")
        // Recursion through nested blocks costs more stack per call; the bound covers it too.
        let blocks = String(repeating: "if a > 0 { ", count: 150) + "return f(a)" + String(repeating: " }", count: 150)
        let nested = diagnostics("input x = 1\nfn f(a) { \(blocks)\nreturn a }\ny = f(x)\noutput y", limits: limits)
        #expect(nested.first?.message == "evaluation nested more than 20000 levels deep through function calls and blocks")
    }

    @Test func nodeLimitNamesTheFlag() {
        let limits = SceneLimits(maxNodes: 100)
        let found = diagnostics("input x = 1\ny = \(Array(repeating: "x", count: 200).joined(separator: " * "))\noutput y", limits: limits)
        #expect(found.first?.message == "the scene makes more than 100 nodes (raise the limit with --max-nodes)")
        let loop = diagnostics("input x = 1\nrepeat 60 { x = x * 2 + 1 }\noutput x", limits: limits)
        #expect(loop.first?.message.contains("--max-nodes") == true)
        #expect(loop.first?.line == 2)
    }

    @Test func exponentialGradOfGradStopsAtTheNodeLimit() {
        var expression = "sin(x) * cos(x)"
        for _ in 0..<30 { expression = "grad(\(expression), x)" }
        let found = diagnostics("input x = 1\ny = \(expression)\noutput y", limits: SceneLimits(maxNodes: 20_000))
        #expect(found.first?.message.contains("--max-nodes") == true)
    }

    @Test func veryLongLinesAreShownAsAWindow() {
        let padding = String(repeating: "x + ", count: 50_000)
        let found = diagnostics("input x = 1\ny = \(padding)q\noutput y")
        #expect(found.first?.column == 5 + 200_000)
        let lines = found.first?.rendered.split(separator: "\n", omittingEmptySubsequences: false) ?? []
        #expect(lines.count == 3)
        #expect(lines.dropFirst().allSatisfy { $0.count <= Diagnostic.displayWidth + 2 })
        #expect(lines.last?.count == lines.dropFirst().first.map { Array($0).firstIndex(of: "q")! + 1 })
    }

    /// Random bytes, random tokens and mutations of a real scene: each either traces or gets
    /// diagnostics with a position inside the text. Seeded, so a failure can be replayed.
    @Test func randomInputNeverCrashes() {
        var generator = SeededGenerator(seed: 2018)
        let pieces = ["input", "const", "x", "y", "=", "+", "-", "*", "/", "^", "(", ")", "{", "}", ",", ";", "\n",
                      "repeat", "for", "in", "...", "..<", "if", "else", "and", "or", "not", ">", "==", "fn", "f",
                      "return", "output", "note", "title", "\"s\"", "1", "0", "1e308", "2.5", "grad", "randn", "sum",
                      "max", "#", "θ", "\u{0}", "\u{FEFF}", "\r", "\t", " ", "\\", "@", "..", "."]
        let survey = "input x1 = 2, x2 = 5\nv1 = ln(x1)\nv2 = x1 * x2\nf = v1 + v2 - sin(x2)\noutput f\n"
        for round in 0..<600 {
            var text: String
            switch round % 3 {
            case 0:
                var scalars = String.UnicodeScalarView()
                for _ in 0..<Int(generator.next() % 80) {
                    scalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: generator.next())))
                }
                text = String(scalars)
            case 1:
                text = (0..<Int(generator.next() % 40)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
                    .joined(separator: generator.next() % 2 == 0 ? " " : "")
            default:
                var characters = Array(survey)
                for _ in 0..<3 {
                    let index = Int(generator.next() % UInt64(characters.count))
                    let piece = pieces[Int(generator.next() % UInt64(pieces.count))]
                    characters.replaceSubrange(index...index, with: Array(piece))
                }
                text = String(characters)
            }
            let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
            for diagnostic in diagnostics(text, limits: SceneLimits(maxNodes: 10_000)) {
                #expect(diagnostic.line >= 1 && diagnostic.line <= lineCount + 1, "\(text.debugDescription)")
                #expect(diagnostic.column >= 1, "\(text.debugDescription)")
            }
        }
    }
}
