import Foundation
import SceneLanguage
import Testing
import TestSupport

/// The bad-input corpus: every scene in `Tests/BadScenes` is invalid, and loading it gives
/// exactly the diagnostics in the `.expected` file next to it (position, message, the line and
/// the caret), from a missing operand to NUL bytes and invalid UTF-8.
///
/// Each golden file was checked by eye. To re-record them after a deliberate change of wording,
/// run with `GRADFLOW_RECORD=1` and read the diff before committing it.
@Suite struct HardeningBadSceneTests {
    @Test func theCorpusHoldsAtLeastFortyScenes() {
        #expect(BadScenes.names.count >= 40)
    }

    @Test(arguments: BadScenes.names)
    func loadingGivesTheGoldenDiagnostics(name: String) throws {
        let path = BadScenes.directory.appendingPathComponent(name).path
        let rendered: String
        do {
            let scene = try Scene.load(path: path)
            Issue.record("\(name) traced (\(scene.graph.count) nodes) but should be invalid")
            return
        } catch {
            #expect(!error.diagnostics.isEmpty)
            for diagnostic in error.diagnostics {
                #expect(diagnostic.line >= 1, "every diagnostic in the corpus has a position")
                #expect(diagnostic.column >= 1)
            }
            rendered = error.description.replacingOccurrences(of: BadScenes.directory.path + "/", with: "")
        }
        try BadScenes.check(rendered + "\n", for: name)
    }

    @Test(arguments: BadScenes.names)
    func diagnosticsPrintNoControlOrInvisibleCharacters(name: String) throws {
        let expected = try String(contentsOf: BadScenes.expectedURL(for: name), encoding: .utf8)
        for scalar in expected.unicodeScalars where scalar != "\n" && scalar != "\t" {
            #expect(scalar.properties.generalCategory != .control, "U+\(String(scalar.value, radix: 16)) in \(name)")
            #expect(scalar.properties.generalCategory != .format, "U+\(String(scalar.value, radix: 16)) in \(name)")
        }
    }
}
