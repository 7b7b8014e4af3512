import Foundation
import GradFlow
import Testing
import TestSupport
@testable import GraphExport

@Suite("Rendered pictures")
struct GalleryTests {
    @Test("PNG and PDF come out with their signatures")
    func signatures() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(Fixtures.survey()))
        let state = DiagramState(final: writer.timeline)
        let png = try Exporter.picture(writer, state: state, format: .png)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let pdf = try Exporter.picture(writer, state: state, format: .pdf)
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        if let directory = ProcessInfo.processInfo.environment["GRADFLOW_GALLERY"] {
            try AtomicFile.write(png, to: directory + "/survey-final.png")
            var options = ExportOptions()
            for theme in Theme.allCases {
                options.theme = theme
                let themed = DiagramWriter(timeline: writer.timeline, options: options)
                try AtomicFile.write(try Exporter.picture(themed, state: DiagramState(timeline: writer.timeline, step: 12), format: .png),
                                     to: directory + "/survey-step12-\(theme).png")
            }
            let neuron = DiagramWriter(timeline: Fixtures.reverse(Fixtures.neuron()))
            try AtomicFile.write(try Exporter.picture(neuron, state: DiagramState(final: neuron.timeline), format: .png), to: directory + "/neuron.png")
            let forward = DiagramWriter(timeline: Timeline(graph: Fixtures.survey(), mode: .forward(input: 0)))
            try AtomicFile.write(try Exporter.picture(forward, state: DiagramState(final: forward.timeline), format: .png), to: directory + "/survey-forward.png")
            let hostile = DiagramWriter(timeline: Fixtures.reverse(HostileInputTests.hostileGraph()))
            try AtomicFile.write(try Exporter.picture(hostile, state: DiagramState(final: hostile.timeline), format: .png), to: directory + "/hostile.png")
            try AtomicFile.write(try Exporter.picture(hostile, state: DiagramState(final: hostile.timeline), format: .svg), to: directory + "/hostile.svg")
            try AtomicFile.write(writer.dot(for: DiagramState(timeline: writer.timeline, step: 12)), to: directory + "/survey-step12.dot")
        }
    }
}
