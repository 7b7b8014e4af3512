import Foundation
import Testing
import TestSupport

/// Graphs that Graphviz 2.42 handles badly must still end in a picture or a clear error.
///
/// Graphviz 2.42's dot layout double-frees inside `gvFreeLayout` for some graphs with many
/// clusters (here, a loop of 20 or more iterations, each drawn as a cluster): `export` aborted
/// with status 134. The `dot` program never frees its layout before exiting, so it never hit it.
@Suite("Graphviz's hard cases")
struct GraphvizHardCaseTests {
    @Test("a 50-iteration loop exports to SVG and PNG without crashing", arguments: ["svg", "png"])
    func loopOfFiftyIterations(format: String) throws {
        let directory = try temporaryDirectory("cluster-\(format)")
        let scene = "\(directory)/chain.scene"
        try "input x = 0.5, w = 0.9\nv = x\nrepeat 50 { v = relu(v * w + x) * 0.5 }\noutput v\n"
            .write(toFile: scene, atomically: true, encoding: .utf8)
        let run = try runGradflow(["export", scene, "-o", "\(directory)/chain.\(format)"])
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/chain.\(format)")))
        #expect(bytes.starts(with: format == "svg" ? Array("<?xml".utf8) : [0x89, 0x50, 0x4E, 0x47]))
        if format == "svg" {
            // Every iteration is there as its own cluster.
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains("repeat 50/50") && text.contains("repeat 1/50"))
        }
    }

    /// dot's layout of 250 folded loop bodies, each read by the inputs x and w, runs for minutes
    /// (the `dot` program too): the export gives up at --time-limit, says so, and writes nothing.
    /// (The iterations alternate between two shapes, so no two neighbours fold into one box ×N.)
    @Test("a layout that takes too long ends with a clear error and no file")
    func slowLayoutHitsTheTimeLimit() throws {
        let directory = try temporaryDirectory("slow-layout")
        let scene = "\(directory)/chain.scene"
        try """
            input x = 0.5, w = 0.9
            v = x
            for k in 1...250 {
                if cos(k * pi) > 0 { v = relu(v * w + x) * 0.5 } else { v = relu(v * w - x) * 0.5 }
            }
            output v

            """.write(toFile: scene, atomically: true, encoding: .utf8)
        let run = try runGradflow(["export", scene, "-o", "\(directory)/chain.svg", "--time-limit", "2"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("error: Graphviz did not lay out the picture within 2 s"))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(left == ["chain.scene"], "left behind: \(left)")
    }
}
