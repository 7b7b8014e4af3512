import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The stepper on tensor scenes, read off the in-memory screen: tensor boxes with their
/// matrices, adjoints filling in step by step, the vector–Jacobian product of each step with its
/// numbers, and a step opened (`e`) into the dot products inside it, one element at a time, with
/// the entries involved marked in the boxes. Every number is one worked by hand (or PyTorch's).
@Suite struct TensorStepperTests {
    let view = StepperView.withLayeredLayout()

    func scene(_ text: String) throws -> Graph {
        try Scene.load(path: try temporaryScene(text)).graph
    }

    /// `A @ B` of TensorEngineTests: A·B = [[58, 64], [139, 154]]; for L = sum(A·B), row p of Ā
    /// is the row sums of B, [15, 19, 23], and B̄[p, j] = Σᵢ A[i, p]: [[5, 5], [7, 7], [9, 9]].
    func product() throws -> Graph {
        try scene("""
        input A = [[1, 2, 3], [4, 5, 6]]
        input B = [[7, 8], [9, 10], [11, 12]]
        P = A @ B
        L = sum(P)
        output L
        """)
    }

    func model(_ graph: Graph, step: Int, columns: Int = 120, rows: Int = 40) throws -> StepperModel {
        var options = StepperOptions()
        options.walk.step = step
        return update(try Fixtures.model(graph, columns: columns, rows: rows, options: options), .setZoom(.detail))
    }

    /// The texts of the runs of cells marked as the opened step's entries, left to right, top down.
    func marked(_ grid: CellGrid) -> [String] {
        var runs: [String] = []
        for row in 0..<grid.rows {
            var run = ""
            for column in 0..<grid.columns {
                let cell = grid[column, row]
                if cell.role == .element {
                    run.append(cell.character)
                } else if !run.isEmpty {
                    runs.append(run)
                    run = ""
                }
            }
            if !run.isEmpty { runs.append(run) }
        }
        return runs
    }

    /// The step at which contribution `index` of the backward pass is current.
    func backwardStep(_ graph: Graph, _ index: Int) -> Int { graph.count + 2 + index }

    @Test func tensorBoxesShowTheirMatricesAndTheProduct() throws {
        let graph = try product()
        let grid = view.render(try model(graph, step: 3)).grid
        // The product's box: its shape and its value, row by row.
        #expect(grid.text.contains("P [2, 2]"), "\(grid.text)")
        #expect(grid.text.contains("= [[ 58,  64],"), "\(grid.text)")
        #expect(grid.text.contains("[139, 154]]"), "\(grid.text)")
        // The inspector: the definition and the value.
        #expect(grid.text.contains("P [2, 2] = A @ B"), "\(grid.text)")
    }

    @Test func aTensorStepShowsItsRuleAndNumbers() throws {
        let graph = try product()
        // Contributions: L → P, P → A, P → B.
        let grid = view.render(try model(graph, step: backwardStep(graph, 1))).grid
        #expect(grid.text.contains("Ā += P̄ · Bᵀ"), "\(grid.text)")
        #expect(grid.text.contains("P̄ = [[1, 1],"), "\(grid.text)")
        #expect(grid.text.contains("adds [[15, 19, 23],"), "\(grid.text)")
        #expect(grid.text.contains("into its 6 scalar contributions"), "\(grid.text)")
        // The edge of the step carries the product it passes back.
        #expect(grid.text.contains("P̄ · Bᵀ"))
        let end = view.render(try model(graph, step: graph.count + 1 + 3)).grid
        // (The inspector wraps the line at 120 columns.)
        #expect(end.text.contains("gradient of L: ∂L/∂A = [[15, 19, 23], [15, 19,"), "\(end.text)")
        #expect(end.text.contains("∂L/∂B = [[5, 5], [7, 7], [9, 9]]"), "\(end.text)")
    }

    @Test func openingAStepWalksItsDotProducts() throws {
        let graph = try product()
        var model = update(try model(graph, step: backwardStep(graph, 1)), .toggleElements)
        #expect(model.elementWalk?.elements == Array(0..<6))
        var grid = view.render(model).grid
        // Ā[0, 0] = P̄[0, 0] · B[0, 0] + P̄[0, 1] · B[0, 1] = 7 + 8.
        #expect(grid.text.contains("Ā[0, 0] += P̄[0, 0] · B[0, 0] + P̄[0, 1] · B[0, 1]"), "\(grid.text)")
        #expect(grid.text.contains("= 1 · 7 + 1 · 8 = 15   (Ā[0, 0]: 0 → 15)"), "\(grid.text)")
        #expect(grid.text.contains("element 1 of 6 of Ā"), "\(grid.text)")
        // Marked, in the boxes and again in the inspector's matrices: Ā[0, 0] (15, its new
        // value), P̄'s row 0 (1, 1), B's row 0 (7, 8).
        #expect(marked(grid).sorted() == ["1", "1", "1", "1", "15", "15", "7", "7", "8", "8"], "\(marked(grid))")
        model = update(model, .next)
        grid = view.render(model).grid
        #expect(grid.text.contains("= 1 · 9 + 1 · 10 = 19   (Ā[0, 1]: 0 → 19)"), "\(grid.text)")
        #expect(marked(grid).sorted() == ["1", "1", "1", "1", "10", "10", "19", "19", "9", "9"], "\(marked(grid))")
        // Ā fills in: the first two entries have arrived, the others are still 0.
        #expect(grid.text.contains("Ā = [[15, 19, 0],"), "\(grid.text)")
        #expect(grid.text.contains("[ 0,  0, 0]]"), "\(grid.text)")
        // On to the last element (Ā[1, 2] = 11 + 12), then past it: the walk closes on the next step.
        for _ in 0..<4 { model = update(model, .next) }
        #expect(view.render(model).grid.text.contains("= 1 · 11 + 1 · 12 = 23   (Ā[1, 2]: 0 → 23)"))
        let step = model.step
        model = update(model, .next)
        #expect(model.elementWalk == nil && model.step == step + 1)
    }

    @Test func theOtherOperandSumsOverTheRows() throws {
        // B̄[1, 0] = A[0, 1] · P̄[0, 0] + A[1, 1] · P̄[1, 0] = 2 + 5 = 7.
        let graph = try product()
        var model = update(try model(graph, step: backwardStep(graph, 2)), .toggleElements)
        model = update(update(model, .next), .next)
        let grid = view.render(model).grid
        #expect(grid.text.contains("B̄[1, 0] += P̄[0, 0] · A[0, 1] + P̄[1, 0] · A[1, 1]"), "\(grid.text)")
        #expect(grid.text.contains("= 1 · 2 + 1 · 5 = 7   (B̄[1, 0]: 0 → 7)"), "\(grid.text)")
    }

    @Test func keysCloseTheWalk() throws {
        let graph = try product()
        let opened = update(try model(graph, step: backwardStep(graph, 1)), .toggleElements)
        #expect(update(opened, .toggleElements).elementWalk == nil)
        #expect(update(opened, .back).elementWalk == nil)
        #expect(update(opened, .back).step == opened.step)
        #expect(update(opened, .cancel).elementWalk == nil)
        #expect(update(opened, .last).elementWalk == nil)
        // Esc closes the walk rather than quitting.
        #expect(KeyTable.meaning(of: .escape)?(opened, nil) == .cancel)
        // A scalar step (L's seed) has nothing to open.
        let seed = update(try model(graph, step: graph.count + 1), .toggleElements)
        #expect(seed.elementWalk == nil)
        #expect(seed.message?.contains("not one") == true)
    }

    @Test func pytorchTutorialFillsTheAdjointOfY() throws {
        // y = x + 2 = 3; t = y · y; z = 3t; out = mean(z) = 27. t̄ = 3/4, and y receives
        // t̄ ⊙ y = 2.25 from each operand of y · y: 2.25, then 4.5; x̄ = 4.5 (PyTorch's tutorial).
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/two-by-two.scene").path).graph
        let timeline = Timeline(graph: graph, mode: .reverse(output: graph.reportedOutputs[0].node))
        let y = graph.nodes.first { graph.label(of: $0) == "y" }!
        let intoY = timeline.contributions(into: y)
        #expect(intoY.count == 2)
        let first = view.render(try model(graph, step: backwardStep(graph, intoY[0]))).grid
        #expect(first.text.contains("ȳ = [[2.25, 2.25],"), "\(first.text)")
        let second = view.render(try model(graph, step: backwardStep(graph, intoY[1]))).grid
        #expect(second.text.contains("ȳ = [[4.5, 4.5],"), "\(second.text)")
        // Opened: ȳ[0, 0] receives t̄[0, 0] · ∂t[0, 0]/∂y[0, 0] = 0.75 · 3.
        let opened = update(try model(graph, step: backwardStep(graph, intoY[0])), .toggleElements)
        let grid = view.render(opened).grid
        #expect(grid.text.contains("= 0.75 · 3 = 2.25   (ȳ[0, 0]: 0 → 2.25)"), "\(grid.text)")
        let end = view.render(try model(graph, step: timeline.count)).grid
        #expect(end.text.contains("∂out/∂x = [[4.5, 4.5], [4.5,"), "\(end.text)")
    }

    @Test(arguments: LectureScreenTests.sceneFiles(repositoryRoot.appendingPathComponent("Scenes/tensors").path))
    func everyOpenedElementAddsUpToItsTensorStep(_ file: String) throws {
        // The terms shown for each element sum to what the tensor step adds there (the tensor
        // steps themselves are checked against NumPy and central differences elsewhere).
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/\(file)").path).graph
        let timeline = Timeline(graph: graph, mode: .reverse(output: graph.reportedOutputs[0].node))
        for index in 0..<timeline.contributionCount where timeline.isTensorStep(index) {
            let step = timeline.tensorContribution(index)
            for element in graph.receivingElements(of: step.from, operand: step.operandIndex) {
                let terms = graph.elementContributions(of: step.from, operand: step.operandIndex, into: element)
                let sum = terms.reduce(0) { $0 + step.incomingAdjoint.elements[$1.from] * $1.localDerivative }
                #expect(isClose(sum, step.passed.elements[element], relative: 1e-12, absolute: 1e-15),
                        "\(file) step \(index) element \(element): \(sum) vs \(step.passed.elements[element])")
            }
        }
    }
}
