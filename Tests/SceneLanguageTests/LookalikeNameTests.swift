import Testing
@testable import SceneLanguage

/// Names that look like other names (UTS #39's mixed-script and confusable ideas): refused with
/// a positioned error; ordinary mathematics (`xα`, `a` beside `α`, `ν` alone) and names in one
/// script of any language stay allowed.
@Suite struct LookalikeNameTests {
    /// The first diagnostic's position and message, or nil when the scene traces.
    func error(_ text: String) -> (line: Int, column: Int, message: String)? {
        diagnostics(text).first.map { ($0.line, $0.column, $0.message) }
    }

    @Test func aGreekNuBesideALatinVeeIsRefusedWhereItIsUsed() throws {
        let found = try #require(error("input v = 1\nν = v * 2\noutput ν"))
        #expect(found.line == 2 && found.column == 1)
        #expect(found.message.contains("`ν` looks like `v` (line 1, column 7)"), "\(found.message)")
    }

    @Test func theLatinNameIsRefusedWhenItComesSecond() throws {
        let found = try #require(error("input ο = 1\no = ο * 2\noutput o"))
        #expect(found.line == 2 && found.column == 1)
        #expect(found.message.contains("`o` looks like `ο`"), "\(found.message)")
    }

    @Test func fullwidthAndMathematicalLettersLookLikeTheirLatinLetter() throws {
        #expect(error("input x = 1\nｘ = x * 2\noutput ｘ")?.message.contains("looks like `x`") == true)
        #expect(error("input x = 1\n𝑥 = x * 2\noutput 𝑥")?.message.contains("looks like `x`") == true)
    }

    @Test func aGreekLookalikeInsideALatinNameIsRefused() throws {
        let found = try #require(error("input x = 1\nxο = x * 2\noutput xο"))
        #expect(found.line == 2 && found.column == 1)
        #expect(found.message.contains("Greek `ο`, which looks like the Latin `o`"), "\(found.message)")
    }

    @Test func otherScriptsMixedWithLatinAreRefused() throws {
        // Armenian օ (U+0585) and Cherokee Ꭺ (U+13AA) inside Latin names.
        #expect(error("input x = 1\nfօo = x * 2\noutput fօo")?.message.contains("mixes Armenian and Latin letters") == true)
        #expect(error("input x = 1\nꭺb = x * 2\noutput ꭺb")?.message.contains("mixes") == true)
    }

    @Test(arguments: [
        "input x = 1\nxα = x * 2\noutput xα",                 // Latin with Greek letters that look like no Latin one
        "input a = 1, α = 0.1\ny = a - α\noutput y",          // alpha beside a
        "input ν = 2\ny = ν * 3\noutput y",                   // nu alone
        "input 速度 = 2\n距離 = 速度 * 3\noutput 距離",           // Chinese
        "input データx = 2\ny = データx * 3\noutput y",          // Japanese with Latin
        "input 속도 = 2\ny = 속도 * 3\noutput y",               // Korean
        "input θ1 = 2, θ2 = 1\ny = θ1 * θ2\noutput y",        // one script, digits
    ])
    func ordinaryNamesStayAllowed(_ scene: String) {
        #expect(error(scene) == nil, "\(scene)")
    }

    @Test func skeletonsFoldOnlyWhatLooksAlike() {
        #expect(NameSafety.skeleton(of: "x1") == "x1")
        #expect(NameSafety.skeleton(of: "ν") == "v")
        #expect(NameSafety.skeleton(of: "ｘ") == "x")
        #expect(NameSafety.skeleton(of: "α") == "α")
    }
}
