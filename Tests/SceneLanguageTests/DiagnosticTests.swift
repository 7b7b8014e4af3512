import SceneLanguage
import Testing

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
