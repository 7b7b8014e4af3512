import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The step pane (the inspector) at lecture sizes: every line of every step can be read, a page
/// at a time with `s`, and the screen says so; nothing is cut silently. (It said "… 9 more lines
/// (a taller window shows them)", and no key showed them.)
@Suite struct InspectorPagingTests {
    static let scenes = ["mlp-relu-two-samples.scene", "tensors/relu-mlp-cross-entropy.scene"]
    static let sizes = [(columns: 80, rows: 24), (columns: 120, rows: 40)]

    static func graph(_ file: String) throws -> Graph {
        try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
    }

    /// The step pane's rows as drawn, trailing blanks dropped.
    static func paneRows(_ frame: Frame, _ pane: Rect) -> [String] {
        (pane.row..<pane.bottom).map { row in
            var text = ""
            for column in pane.column..<pane.right where !frame.grid[column, row].isContinuation {
                text.append(frame.grid[column, row].character)
            }
            while text.last == " " { text.removeLast() }
            return text
        }
    }

    /// Every line the step pane has at the model's step, wrapped to `width`, trailing blanks dropped.
    static func contentLines(_ model: StepperModel, view: StepperView, width: Int) -> [String] {
        Inspector(model: model, state: StepState(model: model)).content().lines
            .flatMap { view.wrap($0, width: width, charset: .unicode) }
            .map { line in
                var text = line.map(\.text).joined()
                while text.last == " " { text.removeLast() }
                return text
            }
    }

    /// Every page of the step pane at the model's step, turned with `s` until the first comes
    /// back: the lines shown (footers left out), and whether each page said how to go on.
    static func pages(_ model: StepperModel, view: StepperView) -> (lines: [String], pages: Int, problems: [String]) {
        let firstFrame = view.render(model)
        let pane = firstFrame.layout!.inspector
        var model = model
        var lines: [String] = [], problems: [String] = []
        let first = paneRows(firstFrame, pane)
        for page in 0..<200 {
            let frame = view.render(model)
            var rows = paneRows(frame, pane)
            if page > 0 && rows == first { return (lines, page, problems) }
            if frame.inspectorOverflow > 0 || page > 0 {
                while rows.last?.isEmpty == true { rows.removeLast() }  // a last page may be short
                let footer = rows.removeLast()
                if !(footer.hasSuffix("s shows them") || footer.hasSuffix("s goes back to the top")) {
                    problems.append("page \(page + 1): the last row is `\(footer)`")
                }
                if !frame.grid.line(model.rows - 1).hasPrefix(" s more") {
                    problems.append("page \(page + 1): the hints do not begin with `s more`")
                }
            } else {
                return (rows.filter { !$0.isEmpty }, 1, problems)
            }
            lines += rows
            model = update(model, .moreInspector)
        }
        return (lines, 200, problems + ["the pages never came back to the first"])
    }

    @Test(arguments: scenes)
    func everyLineOfEveryStepCanBeReached(_ file: String) throws {
        let graph = try Self.graph(file)
        var paged = 0
        for size in Self.sizes {
            let view = StepperView.withLayeredLayout()
            var model = try StepperModel(graph: graph, fileName: file, columns: size.columns, rows: size.rows)
            while true {
                let width = view.render(model).layout!.inspector.width
                let at = "\(file) at \(size.columns)×\(size.rows), step \(model.step)"
                let expected = Self.contentLines(model, view: view, width: width)
                let read = Self.pages(model, view: view)
                #expect(read.lines == expected, "\(at): the pages show\n\(read.lines.joined(separator: "\n"))")
                for problem in read.problems { Issue.record("\(at): \(problem)") }
                if read.pages > 1 { paged += 1 }
                if model.isAtEnd { break }
                model = update(model, .next)
            }
        }
        // Each of these scenes has steps whose pane does not fit.
        #expect(paged > 0, "\(file): no step needed a second page")
    }

    /// The last step of every lecture scene (the final gradient, the inspector's longest page)
    /// at 80×24 and 120×40: every line can be reached with `s`, and the screen says so.
    @Test(arguments: LectureScreenTests.scenes)
    func theFinalGradientOfEverySceneCanBeRead(_ file: String) throws {
        let graph = try Scene.load(path: "\(LectureScreenTests.sceneDirectory)/\(file)").graph
        for size in Self.sizes {
            let view = StepperView()
            let model = update(try StepperModel(graph: graph, fileName: file, columns: size.columns, rows: size.rows), .last)
            let width = view.render(model).layout!.inspector.width
            let expected = Self.contentLines(model, view: view, width: width)
            let read = Self.pages(model, view: view)
            let at = "\(file) at \(size.columns)×\(size.rows), the last step"
            #expect(read.lines == expected, "\(at): the pages show\n\(read.lines.joined(separator: "\n"))")
            for problem in read.problems { Issue.record("\(at): \(problem)") }
        }
    }

    /// At 80×24 the final gradient of the two-sample MLP is read whole, page by page: every
    /// ∂L/∂input shown agrees with the scene's `# expect` lines (worked out by hand in the
    /// scene) to the four digits shown. It was cut after `∂L/∂c =`.
    @Test func theWholeFinalGradientIsReadAt80x24() throws {
        let file = "mlp-relu-two-samples.scene"
        let source = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenes/\(file)"), encoding: .utf8)
        var expected: [String: Double] = [:]
        for match in source.matches(of: /# expect d L\/d (\w+) = (-?[0-9.]+)/) { expected[String(match.1)] = Double(match.2)! }
        #expect(expected.count == 13)
        var model = try StepperModel(graph: try Self.graph(file), fileName: file, columns: 80, rows: 24)
        model = update(model, .last)
        let read = Self.pages(model, view: StepperView.withLayeredLayout())
        #expect(read.pages > 1)
        let text = read.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        var shown: [String: Double] = [:]
        for match in text.matches(of: /∂L\/∂(\w+) = (-?[0-9.]+(?:e-?[0-9]+)?)/) { shown[String(match.1)] = Double(match.2) }
        for (name, value) in expected {
            guard let seen = shown[name] else {
                Issue.record("∂L/∂\(name) is on no page:\n\(text)")
                continue
            }
            #expect(abs(seen - value) <= 5e-4 * abs(value), "∂L/∂\(name): \(seen), expected \(value)")
        }
    }
}
