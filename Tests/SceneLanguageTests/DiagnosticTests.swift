import SceneLanguage
import Testing
import TestSupport

/// Every kind of diagnostic, with its exact rendered text.
@Suite struct DiagnosticTests {
    @Test func unknownName() {
        #expect(rendered("input x = 1\ny = x + z\noutput y") == """
            test.scene:2:9: error: unknown name `z`; define it first, e.g. `input z = 1`
            y = x + z
                    ^
            """)
    }

    @Test func nameUsedBeforeItIsDefined() {
        #expect(rendered("input x = 1\ny = x + z\nz = 2\noutput y") == """
            test.scene:2:9: error: `z` is used before it is defined
            y = x + z
                    ^
            """)
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(rendered("input θ = 1\nσ = θ + ω\noutput σ") == """
            test.scene:2:9: error: unknown name `ω`; define it first, e.g. `input ω = 1`
            σ = θ + ω
                    ^
            """)
    }

    @Test func emptyFileHasNoOutput() {
        #expect(rendered("") == "test.scene:1:1: error: the scene has no output; add a line such as `output f`\n\n^")
    }
}

/// Problems found before the scene runs are all reported, even in branches not taken.
@Suite struct StaticCheckTests {
    @Test func typosInBranchesNotTakenAreReported() {
        let found = diagnostics("""
            input x = 1
            if x > 0 {
                y = x * 2
            } else {
                y = sinn(xx)
            }
            output y
            """)
        #expect(found.map(\.rendered) == [
            "test.scene:5:9: error: unknown function `sinn`; the built-in functions are \(builtinFunctionList)\n    y = sinn(xx)\n        ^",
            "test.scene:5:14: error: unknown name `xx`; define it first, e.g. `input xx = 1`\n    y = sinn(xx)\n             ^",
        ])
    }

    @Test func everyUnknownNameIsReportedInSourceOrder() {
        let found = diagnostics("input x = 1\ny = a + x\nz = y * b + max(c, 1, 2)\noutput z")
        #expect(found.map { "\($0.line):\($0.column)" } == ["2:5", "3:9", "3:13", "3:17"])
        #expect(found.map(\.message)[2] == "`max` takes two arguments, or one tensor, but 3 arguments were given")
    }
}
