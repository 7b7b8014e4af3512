import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// What the panes say and what stands out, at known steps of the survey example
/// (Baydin et al. 2018, tables 2 and 3, whose numbers are the expectations here).
@Suite struct ViewTests {
    let view = StepperView.withLayeredLayout()

    func frame(_ graph: Graph = Fixtures.survey, step: Int, columns: Int = 80, rows: Int = 24,
               options: StepperOptions = StepperOptions(), charset: Charset = .unicode) throws -> CellGrid {
        var options = options
        options.walk.step = step
        return view.render(try Fixtures.model(graph, columns: columns, rows: rows, options: options, charset: charset)).grid
    }

    /// The rows of the grid whose text contains `text`.
    func rows(_ grid: CellGrid, containing text: String) -> [Int] {
        (0..<grid.rows).filter { grid.line($0).contains(text) }
    }

    @Test func forwardStepWritesTheArithmeticAndThePartials() throws {
        let grid = try frame(step: 4)
        #expect(grid.text.contains("v2 = x1 · x2 = 2 · 5 = 10"))
        #expect(grid.text.contains("∂v2/∂x1 = 5, ∂v2/∂x2 = 2"))
        #expect(grid.text.contains("note v2: product rule: each input receives the other's value"))
        #expect(grid.text.contains("FORWARD │ step 4 of 16 │ output f │ reverse mode"))
    }

    /// The final gradient, wrapped at 80 columns, breaks between entries: it used to leave
    /// `∂L/∂a7 =` at the end of a row and the number on the next, or below the pane's last row.
    @Test func theFinalGradientWrapsBetweenEntries() throws {
        // Ten inputs, each with its own gradient: L = Σ k·a_k² at a_k = k/4, so ∂L/∂a_k = 2k·a_k = k²/2
        // (on the old wrap, `∂L/∂a5 =` ended the first row).
        var source = "input " + (1...10).map { "a\($0) = \($0) / 4" }.joined(separator: ", ") + "\n"
        source += "L = " + (1...10).map { "\($0) * a\($0)^2" }.joined(separator: " + ") + "\noutput L\n"
        let graph = try Scene.parse(source: source, fileName: "test.scene").graph
        let model = update(try Fixtures.model(graph), .last)
        let grid = view.render(model).grid
        let start = try #require(rows(grid, containing: "gradient of L:").first)
        // The gradient's line and its continuations (indented by two columns).
        var lines = [grid.line(start)]
        while start + lines.count < grid.rows, grid.line(start + lines.count).hasPrefix("  ") {
            lines.append(grid.line(start + lines.count))
        }
        var shown = 0
        for line in lines.map({ $0.trimmingCharacters(in: .whitespaces) }) {
            #expect(!line.hasSuffix("="), "a row ends with its entry's name: \(line)")
            for k in 1...10 where line.contains("∂L/∂a\(k) =") {
                let value = Double(k * k) / 2
                let written = value == value.rounded() ? String(Int(value)) : String(value)
                #expect(line.contains("∂L/∂a\(k) = \(written)"), "\(line)")
                shown += 1
            }
        }
        #expect(shown >= 6, "\(grid.text)")
    }

    @Test func backwardStepsShowTheAdjointGrowing() throws {
        let first = try frame(step: 14)
        #expect(first.text.contains("x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5   (x̄1: 0 → 5)"))
        #expect(first.text.contains("contribution 1 of 2 into x1"))
        let second = try frame(step: 16)
        #expect(second.text.contains("x̄1 += v̄1 · ∂v1/∂x1 = 1 · 0.5 = 0.5   (x̄1: 5 → 5.5)"))
        #expect(second.text.contains("x̄1 is complete: ∂f/∂x1 = 5.5"))
        // ∂f/∂x2 = x1 − cos(x2) = 1.7163378…, shown to 4 significant digits.
        #expect(second.text.contains("gradient of f: ∂f/∂x1 = 5.5, ∂f/∂x2 = 1.716"))
        #expect(isClose(2 - Foundation.cos(5.0), 1.7163378145367738))
    }

    @Test func negativeOperandsAreParenthesised() throws {
        // f = v4 − v3 with v3 = sin 5 < 0; and f̄ · ∂f/∂v3 = 1 · (−1).
        #expect(try frame(step: 8).text.contains("f = v4 − v3 = 10.69 − (-0.9589) = 11.65"))
        #expect(try frame(step: 10).text.contains("v̄3 += f̄ · ∂f/∂v3 = 1 · (-1) = -1   (v̄3: 0 → -1)"))
    }

    @Test func forwardModeWritesTheTangentSum() throws {
        let grid = try frame(step: 4, options: StepperOptions(mode: .forward))
        // v̇2 = x2 · ẋ1 + x1 · ẋ2 = 5 · 1 + 2 · 0 (table 2).
        #expect(grid.text.contains("v̇2 = ∂v2/∂x1 · ẋ1 + ∂v2/∂x2 · ẋ2 = 5 · 1 + 2 · 0 = 5"))
        #expect(grid.text.contains("forward mode, seed x1"))
        let end = try frame(step: 7, options: StepperOptions(mode: .forward))
        #expect(end.text.contains("derivatives by x1: ∂f/∂x1 = 5.5"))
    }

    @Test func moreDigitsOnRequest() throws {
        var model = try Fixtures.model(Fixtures.survey, options: StepperOptions(step: 16, precision: .shortest))
        #expect(view.render(model).grid.text.contains("∂f/∂x2 = 1.7163378145367738"))
        model = update(model, .moreDigits)
        let lines = view.render(model).grid.text.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix("∂f/∂x2 = 1.716") })
    }

    @Test func theCurrentRowAndNodeStandOutAndPendingNodesAreDim() throws {
        let grid = try frame(step: 4)
        // The trace row of v2 is the current row.
        let row = try #require(rows(grid, containing: "▶ v2").first)
        #expect(grid[0, row].role == .currentRow)
        #expect(grid[2, row].role == .currentRow)
        // v3 is not evaluated yet: its row is pending, its value a dot.
        let pending = try #require(rows(grid, containing: "v3   sin(x2)").first)
        #expect(grid[2, pending].role == .pending)
        #expect(grid.line(pending).hasSuffix("·"))
        // In the graph, the current node's box is highlighted and v3's box is dim.
        let graphRows = 2..<11
        let current = graphRows.flatMap { r in (0..<grid.columns).filter { grid[$0, r].role == .currentNode }.map { ($0, r) } }
        #expect(!current.isEmpty)
        let text = current.map { String(grid[$0.0, $0.1].character) }.joined()
        #expect(text.contains("v2"))
        let v3 = try #require(graphRows.first { grid.line($0).contains("[v3") })
        let column = try #require(grid.line(v3).range(of: "[v3").map { grid.line(v3).distance(from: grid.line(v3).startIndex, to: $0.lowerBound) })
        #expect(grid[column + 1, v3].role == .pending)
    }

    @Test func theContributionsEdgeIsHighlighted() throws {
        let grid = try frame(step: 14)
        let active = (0..<grid.rows).flatMap { r in (0..<grid.columns).filter { grid[$0, r].role == .activeEdge } }
        #expect(!active.isEmpty)
        // And the consumer passing its adjoint back is marked as the partner.
        let partner = (2..<11).contains { r in (0..<grid.columns).contains { grid[$0, r].role == .partnerNode } }
        #expect(partner)
    }

    @Test func asciiTerminalsGetOnlyASCII() throws {
        let grid = try frame(step: 14, charset: .ascii)
        #expect(grid.cells.allSatisfy { $0.character.isASCII })
        #expect(grid.text.contains("x1_bar += v2_bar * dv2/dx1 = 1 * 5 = 5   (x1_bar: 0 -> 5)"))
    }

    @Test func aScreenTooSmallSaysHowLargeItMustBe() throws {
        let grid = try frame(step: 0, columns: 60, rows: 20)
        #expect(grid.text.contains("at least 80×24"))
        #expect(grid.text.contains("this one is 60×20"))
        #expect(try frame(step: 0, columns: 80, rows: 23).text.contains("at least 80×24"))
        #expect(try !frame(step: 0, columns: 80, rows: 24).text.contains("at least 80×24"))
    }

    @Test func everySizeFromTheMinimumUpDrawsWithinTheGrid() throws {
        for (columns, rows) in [(80, 24), (81, 25), (109, 30), (110, 30), (120, 40), (200, 60)] {
            let grid = try frame(step: 14, columns: columns, rows: rows)
            #expect(grid.text.contains("step 14 of 16"), "\(columns)×\(rows)")
            #expect(grid.text.contains("x̄1 += v̄2"), "\(columns)×\(rows)")
        }
    }

    @Test func clicksInspectTheNodeUnderThem() throws {
        let model = try Fixtures.model(Fixtures.survey, options: StepperOptions(step: 16))
        let frame = view.render(model)
        let hit = try #require(frame.hits.first { $0.node == 3 && $0.rect.height == 1 && $0.rect.width < 40 })
        let message = KeyMap.message(for: .click(column: hit.rect.column + 1, row: hit.rect.row), model: model, frame: frame)
        #expect(message == .inspect(3))
        let inspecting = update(model, message!)
        let grid = view.render(inspecting).grid
        #expect(grid.text.contains("node v2  (any step key returns)"))
        // v̄2 = 1; it received one contribution, from v4.
        #expect(grid.text.contains("v̄2 = 1 at this step   (1 contribution: 1 from v4)"))
    }

    @Test func nonFiniteValuesAreFlaggedAndNamed() throws {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: -1, name: "x")
        let y = graph.append(.ln, x)
        graph.annotations.names[y] = "y"
        let grid = try frame(graph, step: 2)
        #expect(grid.text.contains("y = ln(x) = ln(-1) = NaN   ⚠ the first non-finite node"))
        #expect(grid.text.contains("⚠ first non-finite: y"))
    }
}
