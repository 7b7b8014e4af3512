import GradFlow
import SceneLanguage
import Testing
@testable import Stepper

/// Lecture scenes with long names (`learning_rate_schedule_factor`, `hidden_state_1₂`), which the
/// screen checker found at fault: the trace cut every name after 14 columns, so the versions of
/// one name read alike, and an 11-node graph of long names was not drawn whole at 80×24.
@Suite struct LongNameTests {
    static let versions = """
        input learning_rate = 0.1, hidden_state = 0.5, weight_decay = 0.01
        input bias_term_1 = 0.2
        hidden_state_1 = tanh(hidden_state + bias_term_1)
        hidden_state_1 = hidden_state_1 * learning_rate
        hidden_state_1 = hidden_state_1 - weight_decay * hidden_state_1^2
        loss_value = (hidden_state_1 - 1)^2
        output loss_value
        """

    static let scales = """
        input learning_rate_schedule_factor = 1e-8
        input total_number_of_training_tokens = 12345.678
        input negative_bias_offset_term = -0.000321
        input weight_decay_coefficient = 0.0005
        scaled_token_budget = learning_rate_schedule_factor * total_number_of_training_tokens
        penalty_term = weight_decay_coefficient * total_number_of_training_tokens^2
        result = scaled_token_budget + exp(negative_bias_offset_term) - penalty_term / 1e6
        output result
        """

    /// The name column of the trace row marked `▶` when the stepper stands on `label`'s evaluation.
    private func markedName(_ graph: Graph, label: String, columns: Int, rows: Int) throws -> String {
        var model = try StepperModel(graph: graph, fileName: "scene", columns: columns, rows: rows)
        while !(model.currentNode.map { graph.label(of: $0) == label } ?? false) {
            try #require(!model.isAtEnd, "no step evaluates \(label)")
            model = update(model, .next)
        }
        let frame = StepperView().render(model)
        let grid = frame.grid
        let trace = try #require(frame.layout).trace
        let row = try #require((trace.row..<trace.bottom).first { grid[trace.column, $0].character == "▶" })
        return String(grid.line(row).dropFirst(trace.column + 1).drop { $0 == " " }.prefix { $0 != " " })
    }

    /// At 80×24 the old trace showed `hidden_state_…` for all three versions.
    @Test func theVersionsOfALongNameReadApartInTheTrace() throws {
        let graph = try Scene.parse(source: Self.versions, fileName: "versions.scene").graph
        for (columns, rows) in [(80, 24), (120, 40)] {
            let shown = try ["hidden_state_1", "hidden_state_1₂", "hidden_state_1₃"].map {
                try markedName(graph, label: $0, columns: columns, rows: rows)
            }
            #expect(Set(shown).count == 3, "\(columns)×\(rows): \(shown)")
            #expect(shown[1].hasSuffix("₂") && shown[2].hasSuffix("₃"), "\(columns)×\(rows): \(shown)")
        }
    }

    /// Where the pane has room, the name is written whole (the old column stopped at 14).
    @Test func aWideTraceWritesLongNamesWhole() throws {
        let graph = try Scene.parse(source: Self.scales, fileName: "scales.scene").graph
        #expect(try markedName(graph, label: "total_number_of_training_tokens", columns: 200, rows: 50)
                == "total_number_of_training_tokens")
    }

    /// Eleven nodes must be drawn whole at 80×24: with the names written whole no layout fits
    /// (the old pane drew 10 of them, in bands); in the names-only boxes they are shortened.
    @Test func elevenNodesOfLongNamesAreDrawnWholeAt80x24() throws {
        let graph = try Scene.parse(source: Self.scales, fileName: "scales.scene").graph
        let view = StepperView()
        var model = try StepperModel(graph: graph, fileName: "scales.scene", columns: 80, rows: 24)
        while true {
            let frame = view.render(model)
            #expect(frame.drawnGraph.boxes.count == graph.count, "step \(model.step)\n\(frame.grid.text)")
            for problem in ScreenChecker(model: model, frame: frame, wholeLimit: 12).problems().prefix(1) {
                Issue.record("step \(model.step): \(problem)\n\(frame.grid.text)")
            }
            if model.isAtEnd { break }
            model = update(model, .next)
        }
        // A shortened box keeps the name's two ends, and the pane says nothing twice.
        let text = view.render(model).grid.text
        #expect(text.contains("[total_n…g_tokens]"), "\(text)")
    }

    @Test func aNameIsShortenedInItsMiddle() {
        #expect(DisplayWidth.abbreviated("hidden_state_1₃", toWidth: 15, charset: .unicode) == "hidden_state_1₃")
        let short = DisplayWidth.abbreviated("total_number_of_training_tokens", toWidth: 16, charset: .unicode)
        #expect(DisplayWidth.of(short) == 16)
        #expect(short.hasPrefix("total_") && short.hasSuffix("tokens") && short.contains("…"))
        #expect(DisplayWidth.abbreviated("hidden_state_1₃", toWidth: 14, charset: .unicode).hasSuffix("_1₃"))
        // On an ASCII terminal the ellipsis is three dots, counted as three columns.
        let ascii = DisplayWidth.abbreviated("total_number_of_training_tokens", toWidth: 16, charset: .ascii)
        #expect(DisplayWidth.of(Charset.ascii.transliterate(ascii)) <= 16)
    }

    /// Two names that differ only in their middle: the trace pane wrote both `weight_…feature` at
    /// 120×40, so the current row could not be told from the other (the checker's "does not show
    /// the current row" at steps 1, 2, 21 and 23).
    static let middles = """
        input weight_for_first_feature = 0.4, weight_for_second_feature = -0.7, bias_of_the_neuron = 0.1
        const first_feature_value = 1.5, second_feature_value = 0.5
        pre_activation_value = weight_for_first_feature * first_feature_value + weight_for_second_feature * second_feature_value + bias_of_the_neuron
        activation_output = sigmoid(pre_activation_value)
        squared_error_loss = (activation_output - 1)^2
        output squared_error_loss
        """

    @Test func namesThatDifferInTheMiddleAreToldApartInTheTrace() throws {
        let graph = try Scene.parse(source: Self.middles, fileName: "middles.scene").graph
        let view = StepperView()
        var model = try StepperModel(graph: graph, fileName: "middles.scene", columns: 120, rows: 40)
        let text = view.render(model).grid.text
        #expect(text.contains("…_first_feature") && text.contains("…second_feature"), "\(text)")
        while true {
            let frame = view.render(model)
            for problem in ScreenChecker(model: model, frame: frame, wholeLimit: 30).problems().prefix(1) {
                Issue.record("step \(model.step): \(problem)\n\(frame.grid.text)")
            }
            if model.isAtEnd { break }
            model = update(model, .next)
        }
    }

    @Test func abbreviationsOfDifferentNamesDiffer() {
        let names = ["weight_for_first_feature", "weight_for_second_feature", "hidden_state_1₂", "hidden_state_1₃", "x"]
        // (Below 10 columns no start and end around one `…` tell the two weights apart: they share
        // `weight_for_` and `_feature`.)
        for width in 10...16 {
            let shown = DisplayWidth.distinctAbbreviations(names, toWidth: width, charset: .unicode)
            #expect(Set(shown).count == names.count, "at \(width): \(shown)")
            #expect(shown.allSatisfy { DisplayWidth.of($0) <= width }, "at \(width): \(shown)")
        }
        // The same name twice (a row shown twice) stays one text; names that fit are untouched.
        #expect(DisplayWidth.distinctAbbreviations(["a_very_long_name_indeed", "a_very_long_name_indeed", "b"], toWidth: 10,
                                                   charset: .unicode) == Array(repeating: DisplayWidth.abbreviated("a_very_long_name_indeed", toWidth: 10, charset: .unicode), count: 2) + ["b"])
    }
}
