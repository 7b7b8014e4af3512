import Foundation
import GradFlow
import Reports
import Testing
import TestSupport

/// Every format of the trace: the shapes a slide, a spreadsheet or a program relies on.
@Suite struct FormatTests {
    let computation = Fixtures.survey()
    var trace: EvaluationTrace { EvaluationTrace(computation, tangentInput: computation.input(named: "x1")) }

    @Test func textColumnsLineUp() {
        let text = trace.render(.text, sections: [.primal])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "survey")
        #expect(lines.contains("Forward primal trace"))
        // The value column is right-aligned: every row and the rule end at the same column.
        let tableLines = lines.drop { !$0.hasPrefix("node") }
        let widths = Set(tableLines.map(\.count))
        #expect(widths.count == 1, "\(tableLines)")
    }

    @Test func markdownIsATableWithOneCellPerColumn() {
        let markdown = trace.render(.markdown)
        let tableLines = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(tableLines.count == 3 * 2 + 7 + 7 + 9)  // header + rule per table, then the rows
        for line in tableLines {
            #expect(line.hasSuffix("|"))
        }
        #expect(markdown.contains("| --- | --- | --- | ---: |"))
        #expect(markdown.contains("| 6 | x̄1 += v̄2 · ∂v2/∂x1 | x2 | 1 · 5 = 5 | 0 | 5 |"))
        #expect(markdown.contains("**Reverse adjoint trace of f**"))
    }

    @Test func markdownEscapesMarkup() {
        var graph = Graph()
        let x = graph.appendLeaf(value: 1, name: "x_1")
        graph.annotations.names[graph.append(.multiply, x, x)] = "y*"
        let markdown = EvaluationTrace(Computation(graph: graph)).render(.markdown)
        #expect(markdown.contains("x\\_1 · x\\_1"))
        #expect(markdown.contains("y\\*"))
    }

    @Test("every underscore in Markdown is escaped, the ones under an adjoint's bar too")
    func markdownEscapesUnderscoresInAdjoints() {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 2)
        graph.annotations.names[x] = "x_1"
        graph.annotations.names[graph.append(.sin, x)] = "y_out"
        let markdown = EvaluationTrace(Computation(graph: graph)).render(.markdown)
        // The adjoint of x_1 carries a bar over every character, the underscore included.
        #expect(markdown.contains("x\u{305}\\_\u{305}1\u{305}"))
        let scalars = Array(markdown.unicodeScalars)
        let bare = scalars.indices.filter { scalars[$0] == "_" && ($0 == 0 || scalars[$0 - 1] != "\\") }
        #expect(bare.isEmpty, "\(markdown)")
    }

    @Test func markdownTitleIsEscaped() {
        var graph = Fixtures.survey().graph
        graph.annotations.title = "f = x1*x2 + x_3"
        let markdown = EvaluationTrace(Computation(graph: graph)).render(.markdown)
        #expect(markdown.hasPrefix("### f = x1\\*x2 + x\\_3\n"))
    }

    @Test func latexIsABalancedTabularInPlainASCII() {
        let latex = trace.render(.latex)
        #expect(latex.components(separatedBy: "\\begin{tabular}").count - 1 == 3)
        #expect(latex.components(separatedBy: "\\end{tabular}").count - 1 == 3)
        for line in latex.split(separator: "\n") where !line.hasPrefix("%") {
            // pdflatex without unicode packages must accept it: no raw Unicode outside comments.
            let isASCII = line.allSatisfy { $0.isASCII }
            #expect(isASCII, "\(line)")
            #expect(line.filter { $0 == "{" }.count == line.filter { $0 == "}" }.count, "\(line)")
            #expect(line.filter { $0 == "$" }.count % 2 == 0, "\(line)")
        }
        // Rows of the 6-column adjoint tabular have 5 column separators.
        let row = latex.split(separator: "\n").first { $0.hasPrefix("$6$") }
        #expect(row?.filter { $0 == "&" }.count == 5)
        #expect(row == "$6$ & $\\bar{x}1 \\mathrel{+}= \\bar{v}2 \\cdot \\partial v2/\\partial x1$ & $x2$ & $1 \\cdot 5 = 5$ & $0$ & $5$ \\\\")
    }

    @Test func csvHasItsColumnsAndFullPrecision() throws {
        let csv = trace.render(.csv, sections: [.primal])
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines[0] == "id,node,op,expression,value")
        #expect(lines.count == 1 + 7)
        let v3 = lines[5].split(separator: ",").map(String.init)
        #expect(v3[1] == "v3" && v3[2] == "sin")
        let value = try #require(Double(v3[4]))
        #expect(isClose(value, Foundation.sin(Double(5))))
        let adjoint = trace.render(.csv, sections: [.adjoint]).split(separator: "\n").map(String.init)
        #expect(adjoint[0] == "output,step,from,to,local_derivative,incoming_adjoint,contribution,before,after")
        #expect(adjoint[6] == "f,6,v2,x1,5,1,5,0,5")
    }

    @Test func csvAdjointRowsFollowEachOutputInTurn() {
        // z = 2x + sin x and v = 4x + cos x: each backward pass has 4 contributions.
        let csv = EvaluationTrace(Fixtures.twoOutputs()).render(.csv, sections: [.adjoint])
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
        #expect(rows == ["z,1,z,a", "z,2,z,b", "z,3,b,x", "z,4,a,x", "v,1,v,c", "v,2,v,d", "v,3,d,x", "v,4,c,x"])
    }

    @Test func csvQuotesFieldsWithCommas() {
        var graph = Graph()
        let a = graph.appendLeaf(value: 1, name: "a"), b = graph.appendLeaf(value: 2, name: "b")
        graph.annotations.names[graph.appendVariadic(.sum, [a, b])] = "s"
        let csv = EvaluationTrace(Computation(graph: graph)).render(.csv, sections: [.primal])
        #expect(csv.contains("2,s,sum,\"sum(a, b)\",3\n"))
    }

    @Test func jsonParsesAndHasEveryField() throws {
        let text = trace.render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["title"] as? String == "survey")
        let primal = try #require(object["primal"] as? [[String: Any]])
        #expect(primal.count == 7)
        #expect(primal[3]["node"] as? String == "v2" && primal[3]["expression"] as? String == "x1 · x2")
        let tangent = try #require(object["tangent"] as? [String: Any])
        #expect(tangent["input"] as? String == "x1")
        let reverse = try #require(object["reverse"] as? [[String: Any]])
        let contributions = try #require(reverse.first?["contributions"] as? [[String: Any]])
        #expect(contributions.count == 8)
        let sixth = contributions[5]
        #expect(sixth["from"] as? String == "v2" && sixth["to"] as? String == "x1")
        #expect((sixth["before"] as? Double) == 0 && (sixth["after"] as? Double) == 5)
        let gradient = try #require(reverse.first?["gradient"] as? [String: Double])
        #expect(isClose(gradient["x2"] ?? .nan, 1.7163378145367738))
        #expect(object["firstNonFinite"] == nil)
    }
}

/// The JSON writer: exact bytes, since programs and tests rely on them.
@Suite struct JSONValueTests {
    @Test func gradientJSONIsExactlyTheDocumentedShape() {
        // The issue's example, byte for byte.
        #expect(GradientReport(Fixtures.survey()).json.serialized()
            == #"{"outputs":[{"name":"f","value":11.652071455223084,"gradient":{"x1":5.5,"x2":1.7163378145367738}}]}"#)
    }

    @Test func nonFiniteNumbersAreStrings() {
        let value = JSONValue.array([.number(.nan), .number(.infinity), .number(-.infinity), .number(-0.0), .number(1e-7)])
        #expect(value.serialized() == #"["NaN","Infinity","-Infinity",-0,1e-7]"#)
    }

    @Test func stringsAreEscaped() throws {
        let value = JSONValue.object([("a\"b", .string("line\nbreak\u{1}tab\t\\ θ"))])
        let text = value.serialized()
        #expect(text == #"{"a\"b":"line\nbreak\u0001tab\t\\ θ"}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(parsed?["a\"b"] == "line\nbreak\u{1}tab\t\\ θ")
    }

    @Test func shortestDecimalsReadBackExactly() throws {
        let numbers: [Double] = [0.1, 1.0 / 3, 2.5e-300, 1.7976931348623157e308, 123456789012345680]
        let text = JSONValue.array(numbers.map(JSONValue.number)).serialized()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Double])
        // Exactness is the point here: the text must read back to the very same doubles.
        #expect(parsed == numbers)
    }
}
