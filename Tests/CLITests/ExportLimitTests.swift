import Foundation
import Testing
import TestSupport

/// The export's limits: bitmaps Graphviz would make gigabytes of, quoted strings Graphviz's
/// lexer refuses, time limits that apply to each picture, option values that overflow.
@Suite struct ExportLimitTests {
    /// 51 nodes with long notes and a long title: cairo was asked for 29990×32767 pixels
    /// (3.9 GB, 47 s, and a segfault under a memory limit). Now: a bounded bitmap and a warning
    /// that says how to get a usable picture.
    @Test func aHugeBitmapIsDrawnSmallerWithAWarning() throws {
        var text = "title \"\(String(repeating: "A long title for a lecture ", count: 100))\"\ninput x = 1\n"
        for index in 0..<50 {
            text += "v\(index) = x * \(index + 1)   # \(String(repeating: "a note far too long for a picture ", count: 40))\n"
        }
        text += "y = sum(\((0..<50).map { "v\($0)" }.joined(separator: ", ")))\noutput y\n"
        let scene = try temporaryScene(text)
        let output = (scene as NSString).deletingLastPathComponent + "/big.png"
        let run = try runGradflow(["export", scene, "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains(": warning: the PNG would be "), "\(run.stderr)")
        #expect(run.stderr.contains("export SVG or PDF"))
        let size = try pngSize(output)
        #expect(size.width <= 32_767 && size.height <= 32_767 && size.width * size.height <= 50_000_000, "\(size)")
    }

    /// Graphviz's own lexer refuses a quoted string over 16 KiB: a note of 4,096 emoji and a
    /// `sum` of 6,000 terms each made one. The DOT must be readable by `dot`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot")))
    func longStringsStayWithinGraphvizsLexer() throws {
        let scene = try temporaryScene("""
            input x = 1
            y = x * 2   # \(String(repeating: "😀", count: 4096))
            z = sum(\(Array(repeating: "x", count: 6000).joined(separator: ", ")))
            output z
            """)
        let directory = (scene as NSString).deletingLastPathComponent
        let run = try runGradflow(["export", scene, "-o", directory + "/long.dot"])
        #expect(run.status == 0, "\(run.stderr)")
        let dot = try runProgram("/usr/bin/dot", ["-Tsvg", "-o", directory + "/long.svg", directory + "/long.dot"])
        #expect(dot.status == 0, "\(dot.stderr)")
    }

    /// `--frames DIR --format html` used to ignore --time-limit (a layout that takes Graphviz
    /// minutes ran on); now every frame has the limit, and the message names the frame.
    @Test func theHTMLPlayerHonoursTheTimeLimitPerFrame() throws {
        var text = "input x = 1\nv0 = x * 2\n"
        for index in 1...60 { text += "v\(index) = sum(\((0..<index).map { "v\($0)" }.joined(separator: ", ")))\n" }
        let scene = try temporaryScene(text + "output v60\n")
        let directory = (scene as NSString).deletingLastPathComponent + "/walk"
        // `timeout` only bounds the test should the limit be ignored again.
        let run = try runGradflowInShell(#"timeout 120 "$GRADFLOW" export "# + scene + " --frames " + directory
            + " --format html --time-limit 1")
        #expect(run.status == 2)
        #expect(run.stderr.contains("error: Graphviz did not lay out frame 0 of "), "\(run.stderr)")
        #expect(run.stderr.contains(" within 1 s; nothing was written"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/index.html"))
    }

    @Test(arguments: [["--time-limit", "99999999999"], ["--time-limit=-1"]])
    func outOfRangeTimeLimitsAreUsageErrors(option: [String]) throws {
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", "/dev/null", "--format", "svg"] + option)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("--time-limit must be between 0 and 86400 seconds"))
    }

    @Test func aHugeStepIsAnErrorNotAnOverflow() throws {
        let run = try runGradflow(["export", "Scenes/survey.scene", "-o", "/dev/null", "--format", "dot",
                                   "--phase", "backward", "--step", "9223372036854775807"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("is outside the backward phase's steps"))
    }

    private func pngSize(_ path: String) throws -> (width: Int, height: Int) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(24))
        #expect(bytes.count == 24 && bytes[12..<16] == [0x49, 0x48, 0x44, 0x52], "an IHDR chunk first")
        func number(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }
}
