import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import GraphExport

/// Timings for docs/export.md, printed rather than asserted (no timing assertions in tests):
/// `GRADFLOW_MEASURE=1 swift test --filter MeasurementTests`.
///
/// Running the `dot` program here is for this comparison only; the product never does.
@Suite("Measurements", .enabled(if: ProcessInfo.processInfo.environment["GRADFLOW_MEASURE"] != nil))
struct MeasurementTests {
    /// The median of `runs` timings of `body`, in milliseconds.
    private func median(_ runs: Int = 9, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[runs / 2]
    }

    private func dotProgram(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        process.arguments = ["-Tsvg", path, "-o", "/dev/null"]
        try process.run()
        process.waitUntilExit()
    }

    @Test("SVG of each scene, in-process against `dot -Tsvg` on the same DOT")
    func renderTimes() throws {
        let directory = try temporaryDirectory()
        var scenes = ["survey", "neuron", "xy-sin"].map { repositoryRoot.appendingPathComponent("Scenes/\($0).scene").path }
        scenes.append(try temporaryScene("""
            input x = 0.5
            fn sq(a) = sin(a * a)
            y = x
            repeat 100 { y = sq(y) }
            output y
            """, name: "chain-201.scene"))
        for path in scenes {
            let scene = try Scene.load(path: path)
            let writer = DiagramWriter(timeline: Timeline(graph: scene.graph, mode: .reverse(output: scene.outputs[0].node)))
            let dot = writer.dot(for: DiagramState(final: writer.timeline))
            let file = directory + "/" + URL(fileURLWithPath: path).lastPathComponent + ".dot"
            try AtomicFile.write(dot, to: file)
            _ = try Exporter.render(dot: dot, format: .svg)  // warm-up: plugins, fonts
            let inProcess = try median { _ = try Exporter.render(dot: dot, format: .svg) }
            let program = try median { try dotProgram(file) }
            print("measure: \(URL(fileURLWithPath: path).lastPathComponent) (\(scene.graph.count) nodes): "
                + "in-process \(String(format: "%.1f", inProcess)) ms, dot -Tsvg \(String(format: "%.1f", program)) ms, "
                + "ratio \(String(format: "%.2f", program / inProcess))")
        }
    }
}
