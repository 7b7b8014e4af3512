import Foundation
import Testing
import TestSupport

/// Graphviz 2.42's dot layout double-frees inside `gvFreeLayout` for some graphs with many
/// clusters (here, a loop of 20 or more iterations, each drawn as a cluster): `export` aborted
/// with status 134. The `dot` program never frees its layout before exiting, so it never hit it.
@Suite("graphs with many clusters")
struct ClusterCrashTests {
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
}
