import SceneLanguage
import Testing

/// Every limit in ``SceneLimits``: a scene just inside it traces, a scene just beyond it gets one
/// diagnostic at the place that crossed it, naming the limit (and the flag that raises it).
@Suite struct HardeningLimitTests {
    @Test func hundredThousandNestedParenthesesStopAtTheNestingLimit() {
        let depth = 100_000
        let text = "input x = 1\ny = " + String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth) + "\noutput y"
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        // The 201st parenthesis is the one beyond the limit of 200.
        #expect(found.first?.column == 4 + 201)
        #expect(found.first?.message.contains("nesting deeper than 200 levels") == true)
    }

    @Test func sceneSizeIsLimitedBeforeAnythingIsParsed() {
        let limits = SceneLimits(maxSourceBytes: 64)
        let inside = "input x = 1\noutput x\n" + String(repeating: "#", count: 64 - 21)
        #expect(inside.utf8.count == 64)
        #expect(diagnostics(inside, limits: limits).isEmpty)
        let found = diagnostics(inside + "#", limits: limits)
        #expect(found.first?.rendered == "test.scene: error: the scene is larger than 64 bytes, the limit for a scene file")
    }

    @Test func aTrillionIterationsStopAtOnceNamingTheFlag() {
        let found = diagnostics("input x = 2\nrepeat 1000000000000 { x = x * 2 }\noutput x")
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.column == 1)
        #expect(found.first?.message.contains("1000000000000") == true)
        #expect(found.first?.message.contains("1000000") == true)
        #expect(found.first?.message.contains("--max-nodes") == true)
    }

    @Test func loopLimitIsRaisedByMaxNodes() throws {
        let text = "input x = 1\nrepeat 500 { x = x + 1 }\noutput x"
        #expect(diagnostics(text, limits: SceneLimits(maxNodes: 400)).first?.message.contains("--max-nodes") == true)
        let scene = try trace(text, limits: SceneLimits(maxNodes: 2_000))
        #expect(scene.value("x₅₀₁") == 501)
    }

    @Test func recursionWithoutBaseCaseNamesTheFlag() {
        let found = diagnostics("input x = 1\nfn f(a) = f(a) + 1\ny = f(x)\noutput y")
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.message.contains("more than 1000") == true)
        #expect(found.first?.message.contains("--max-call-depth") == true)
    }

    @Test func recursionDepthIsRaisedByMaxCallDepth() throws {
        // f(n) recurses n times: 50 calls deep.
        let text = "input x = 1\nfn f(n, v) {\n  if n > 0 {\n    return f(n - 1, v + x)\n  }\n  return v\n}\ny = f(49, x)\noutput y"
        #expect(diagnostics(text, limits: SceneLimits(maxCallDepth: 20)).first?.message.contains("--max-call-depth") == true)
        let scene = try trace(text, limits: SceneLimits(maxCallDepth: 50))
        #expect(scene.derivative(of: "y", by: "x") == 50)
    }

    @Test func nodeCountIsLimited() throws {
        let product = Array(repeating: "x", count: 100).joined(separator: " * ")
        // 1 input + 99 products = 100 nodes: exactly at the limit.
        #expect(try trace("input x = 1\ny = \(product)\noutput y", limits: SceneLimits(maxNodes: 100)).graph.count == 100)
        let found = diagnostics("input x = 1\ny = \(product) * x\noutput y", limits: SceneLimits(maxNodes: 100))
        #expect(found.first?.message == "the scene makes more than 100 nodes (raise the limit with --max-nodes)")
    }

    @Test func namesAreLimitedTo256Characters() throws {
        let longest = String(repeating: "θ", count: 256)
        #expect(try trace("input \(longest) = 1\noutput \(longest)").inputs.first?.name == longest)
        let tooLong = longest + "x"
        #expect(rendered("input x = 1\n\(tooLong) = x\noutput x").hasPrefix(
            "test.scene:2:1: error: this name is 257 characters long, beyond the limit of 256 for a name\n"))
    }

    @Test func aMegabyteNameIsOneShortDiagnostic() {
        let found = diagnostics("input " + String(repeating: "n", count: 1 << 20) + " = 1")
        #expect(found.first?.message == "this name is 1048576 characters long, beyond the limit of 256 for a name")
        #expect((found.first?.rendered.count ?? .max) < 400)
    }

    @Test func notesAndTitlesAreLimitedTo4096Characters() throws {
        let longest = String(repeating: "é", count: 4_096)
        let scene = try trace("title \"\(longest)\"\ninput x = 1\nnote x \"\(longest)\"\noutput x")
        #expect(scene.title == longest)
        #expect(rendered("input x = 1\nnote x \"\(longest)!\"\noutput x").hasPrefix(
            "test.scene:2:8: error: this string is longer than 4096 characters, the limit for a title or a note\n"))
        #expect(rendered("title \"\(longest)!\"\ninput x = 1\noutput x").hasPrefix("test.scene:1:7: error: this string is longer than 4096"))
    }

    @Test func severalNotesOnOneNodeShareTheLimit() throws {
        let half = String(repeating: "a", count: 2_048)
        // Two halves joined by a line break make 4,097 characters.
        #expect(rendered("input x = 1\nnote x \"\(half)\"\nnote x \"\(half)\"\noutput x").hasPrefix(
            "test.scene:3:6: error: the notes on `x` add up to more than 4096 characters, the limit for a note\n"))
        let scene = try trace("input x = 1\nnote x \"\(half)\"\nnote x \"\(half.dropLast())\"\noutput x")
        #expect(scene.graph.annotations.notes[scene.inputs[0].node]?.count == 4_096)
    }

    @Test func escapesCountOnceInAString() throws {
        // `\n` is two characters in the file and one in the note.
        let escapes = String(repeating: "\\n", count: 4_096)
        let scene = try trace("input x = 1\nnote x \"\(escapes)\"\noutput x")
        #expect(scene.graph.annotations.notes[scene.inputs[0].node]?.unicodeScalars.count == 4_096)
    }
}

/// A file just under the size limit was tokenised whole (3.1 GB) before the node limit said
/// no: the lexer stops at 16 tokens per allowed node (at least a million).
@Suite struct TokenLimitTests {
    @Test func tokenisingStopsWithTheNodeLimit() {
        let source = "input x = 1\ny = " + Array(repeating: "x", count: 600_000).joined(separator: " + ") + "\noutput y\n"
        var limits = SceneLimits.standard
        limits.maxNodes = 10
        #expect {
            _ = try Scene.parse(source: source, fileName: "many.scene", limits: limits)
        } throws: { error in
            "\(error)".contains("the scene has more than 1000000 words, numbers and symbols, far more than 10 nodes need")
        }
    }
}
