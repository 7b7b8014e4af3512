import Foundation
import GradFlow

/// A traced scene: the recorded graph with every node named, its inputs and its outputs.
///
/// ```swift
/// let scene = try Scene.load(path: "Scenes/survey.scene")
/// let f = scene.outputs[0].node
/// scene.graph.values[f]                 // 11.652071455223084
/// scene.graph.gradient(of: f)           // x1: 5.5, x2: 1.7163378145367738
/// ```
///
/// The graph's annotations hold a unique display name for every node, the notes, the groups
/// (function calls, loop iterations, `grad`s), the outputs and the title: they are the truth,
/// and ``title``, ``inputs`` and ``outputs`` read them.
public struct Scene: Sendable {
    public var fileName: String
    public var source: String
    public var graph: Graph
    /// For a scene with a `train` block: the whole run (losses and inputs of every step).
    public var training: TrainingRun?
    /// For a scene with a `train` block: the step (1-based) whose graph ``graph`` is.
    public var trainingStep: Int?
    /// The inputs as ``graph``'s training step found them (empty without a `train` block): a
    /// command that traces the scene again with one input moved keeps the others there.
    public var trainingStepInputs: [String: Double] {
        training.map { $0.inputs(atStep: trainingStep ?? $0.steps) } ?? [:]
    }

    public init(fileName: String, source: String, graph: Graph) {
        self.fileName = fileName
        self.source = source
        self.graph = graph
    }

    /// The title, if the scene has one.
    public var title: String? { graph.annotations.title }

    /// The inputs in declaration order: gradients are reported for these.
    public var inputs: [NamedNode] { graph.namedInputs }

    /// The outputs in declaration order, under the names they were declared with.
    public var outputs: [NamedNode] { graph.reportedOutputs }

    /// Reads and traces the scene file at `path`.
    ///
    /// - Throws: ``SceneError`` for a file that cannot be read (one line naming the path), is
    ///   larger than ``SceneLimits/maxSourceBytes``, is not UTF-8 (the position of the first bad
    ///   byte), or is not a valid scene.
    public static func load(path: String, limits: SceneLimits = .standard) throws(SceneError) -> Scene {
        let text = try SourceFile.read(path: path, limits: limits)
        return try parse(source: text, fileName: path, limits: limits)
    }

    /// Traces scene text; `fileName` is only used in diagnostics. `inputValues` replaces the
    /// declared values of the inputs it names: `gradflow check` re-traces a scene at moved
    /// inputs this way, so that every `if` is decided again at the new point.
    ///
    /// - Complexity: O(length of the text + nodes recorded).
    public static func parse(
        source text: String, fileName: String, limits: SceneLimits = .standard, inputValues: [String: Double] = [:]
    ) throws(SceneError) -> Scene {
        if text.utf8.count > limits.maxSourceBytes {
            throw SceneError(diagnostics: [SourceFile.tooLarge(fileName, limits: limits)])
        }
        let outcome = LargeStack.run { stackBytes -> Result<Scene, SceneError> in
            Result { () throws(SceneError) -> Scene in
                try trace(text, fileName: fileName, limits: limits, stackBytes: stackBytes, inputValues: inputValues)
            }
        }
        return try outcome.get()
    }

    /// A scene made of one expression, for `gradflow eval 'ln(x1) + x1*x2 - sin(x2)' --at x1=2,x2=5`.
    ///
    /// The names in `values` are the inputs, in that order; every other free name is an error.
    /// The output is named `f`, or `y`, `out`, `result`, `f_1`, `f_2`, … if an input already
    /// has that name.
    public static func expression(
        _ text: String, values: [(name: String, value: Double)], limits: SceneLimits = .standard
    ) throws(SceneError) -> Scene {
        if text.utf8.count > limits.maxSourceBytes {
            throw SceneError(diagnostics: [SourceFile.tooLarge("<expression>", limits: limits)])
        }
        let values = values.map { (name: $0.name, value: $0.value) }
        let outcome = LargeStack.run { stackBytes -> Result<Scene, SceneError> in
            Result { () throws(SceneError) -> Scene in
                try traceExpression(text, values: values, limits: limits.fitted(toStack: stackBytes), stackBytes: stackBytes)
            }
        }
        return try outcome.get()
    }

    private static func trace(
        _ text: String, fileName: String, limits requested: SceneLimits, stackBytes: Int, inputValues: [String: Double],
        trainingStep: Int? = nil
    ) throws(SceneError) -> Scene {
        let limits = requested.fitted(toStack: stackBytes)
        let source = SourceText(text, fileName: fileName)
        let program: Program
        do throws(Diagnostic) {
            program = try Parser.parseProgram(source, limits: limits)
        } catch {
            throw SceneError(diagnostics: [error])
        }
        let problems = Checker.check(program, source: source, knownNames: Tracer.definedNames(program))
        if !problems.isEmpty { throw SceneError(diagnostics: problems) }
        let recorder = Recorder(source: source, limits: limits, program: program, stackBytes: stackBytes)
        do throws(Diagnostic) {
            var tracer: Tracer
            var run: TrainingRun?
            if program.trains, inputValues.isEmpty {
                // The run first, then the chosen step's graph with the inputs as they were then.
                let finished = try TrainingRun.perform(recorder)
                let step = min(max(trainingStep ?? finished.steps, 1), finished.steps)
                tracer = try recorder.record(inputValues: finished.inputs(atStep: step), step: step)
                run = finished
            } else {
                tracer = try recorder.record(inputValues: inputValues, step: trainingStep)
            }
            if tracer.graph.annotations.outputs.isEmpty {
                throw source.diagnostic(at: source.scalars.count, "the scene has no output; add a line such as `output f`")
            }
            var scene = tracer.finish(fileName: fileName, text: text)
            scene.training = run
            scene.trainingStep = run.map { tracer.trainingStepLabel ?? $0.steps }
            return scene
        } catch {
            throw SceneError(diagnostics: [error])
        }
    }

    /// Re-traces a training scene's graph at step `step` (1-based) of its run, with the inputs
    /// as they were at the start of that step; the run itself is not repeated.
    ///
    /// - Precondition: the scene has a ``training`` run, and `step` is within it.
    public func atTrainingStep(_ step: Int, limits requested: SceneLimits = .standard) throws(SceneError) -> Scene {
        guard let run = training, (1...run.steps).contains(step) else {
            preconditionFailure("atTrainingStep needs a training scene and a step of its run")
        }
        let text = source, fileName = fileName
        let outcome = LargeStack.run { stackBytes -> Result<Scene, SceneError> in
            Result { () throws(SceneError) -> Scene in
                var scene = try Scene.trace(text, fileName: fileName, limits: requested, stackBytes: stackBytes,
                                      inputValues: run.inputs(atStep: step), trainingStep: step)
                scene.training = run
                scene.trainingStep = step
                return scene
            }
        }
        return try outcome.get()
    }

    private static func traceExpression(
        _ text: String, values: [(name: String, value: Double)], limits: SceneLimits, stackBytes: Int
    ) throws(SceneError) -> Scene {
        let fileName = "<expression>"
        let source = SourceText(text, fileName: fileName)
        var seen = Set<String>()
        for (name, _) in values {
            guard isValidName(name), seen.insert(name).inserted else {
                let problem = seen.contains(name) && isValidName(name) ? "is given twice" : "is not a valid input name"
                throw SceneError(diagnostics: [Diagnostic(fileName: "--at", line: 0, column: 0, message: "`\(name)` \(problem)", sourceLine: "")])
            }
        }
        let fallbacks = (1...(values.count + 1)).lazy.map { "f_\($0)" }
        let outputName = ["f", "y", "out", "result"].first { !seen.contains($0) }
            ?? fallbacks.first { !seen.contains($0) }!
        let expression: Expression
        do throws(Diagnostic) {
            var parser = Parser(source: source, tokens: try Lexer.tokenize(source, limits: limits), limits: limits)
            parser.skipSeparators()
            expression = try parser.parseValue("an expression")
            parser.skipSeparators()
            guard parser.current.kind == .end else {
                throw parser.error("expected the end of the expression, found \(parser.current.description)")
            }
        } catch {
            throw SceneError(diagnostics: [error])
        }
        let noValue: (String) -> String = { name in "`\(name)` has no value; give it one with --at \(name)=…" }
        let problems = Checker.check(
            Program(statements: [.return(expression, start: 0)], functions: [:]), source: source,
            knownNames: seen, unknownName: noValue)
        if !problems.isEmpty { throw SceneError(diagnostics: problems) }
        var tracer = Tracer(source: source, limits: limits, program: Program(statements: [], functions: [:]))
        tracer.evaluationLimit = min(Tracer.maxEvaluationDepth, LargeStack.evaluationLimit(stackBytes: stackBytes))
        tracer.unknownNameHint = noValue
        for (name, value) in values {
            let node = tracer.graph.appendLeaf(.input, value: value)
            tracer.giveName(name, to: node)
            tracer.bindAtTopLevel(name, to: .node(node))
            tracer.inputs.append(NamedNode(name: name, node: node))
        }
        let output = Located(value: outputName, start: 0)
        do throws(Diagnostic) {
            _ = try tracer.execute([.assign(output, compound: nil, value: expression), .output([output])])
        } catch {
            throw SceneError(diagnostics: [error])
        }
        if let unused = unusedInput(of: tracer, among: values.map(\.name)) { throw SceneError(diagnostics: [unused]) }
        tracer.title = ("\(outputName) = \(text)", 0)
        return tracer.finish(fileName: fileName, text: text)
    }

    /// A value given with `--at` that the expression does not use, named with the names it does
    /// use: otherwise a misspelt name would silently add a zero gradient.
    private static func unusedInput(of tracer: Tracer, among names: [String]) -> Diagnostic? {
        var used = Set(tracer.graph.operandStorage.map(Int.init))
        used.formUnion(tracer.graph.annotations.outputs.map(\.node))
        let inputs = tracer.inputs
        guard let unused = inputs.first(where: { !used.contains($0.node) }) else { return nil }
        let usedNames = inputs.filter { used.contains($0.node) }.map(\.name)
        let uses = usedNames.isEmpty ? "it uses no input" : "it uses " + usedNames.map { "`\($0)`" }.joined(separator: ", ")
        return Diagnostic(fileName: "--at", line: 0, column: 0,
                          message: "`\(unused.name)` is not used by the expression (\(uses)); check its spelling", sourceLine: "")
    }

    /// Whether `text` is a number as a scene writes one, with an optional leading minus: `2`,
    /// `-2.5`, `.5`, `1e-3` (not `0x10`, `+2`, `2.`, `inf` or `1_000`, which Swift's `Double`
    /// reads or a scene refuses).
    public static func isNumberLiteral(_ text: String) -> Bool {
        let unsigned = text.hasPrefix("-") ? String(text.dropFirst()) : text
        guard let first = unsigned.unicodeScalars.first, first == "." || ("0"..."9").contains(first) else { return false }
        guard let tokens = try? Lexer.tokenize(SourceText(unsigned, fileName: "--at"), limits: .standard) else { return false }
        guard tokens.count == 2, case .number = tokens[0].kind, tokens[1].kind == .end else { return false }
        return true
    }

    /// Whether `name` could be written as a name in a scene (and is not a keyword).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, Lexer.startsName(first),
              name.unicodeScalars.allSatisfy(Lexer.continuesName), Keyword(rawValue: name) == nil
        else { return false }
        return true
    }
}

extension SceneLimits {
    /// These limits with the nesting depth capped by what fits in a stack of `stackBytes`.
    func fitted(toStack stackBytes: Int) -> SceneLimits {
        var limits = self
        limits.maxNestingDepth = min(maxNestingDepth, LargeStack.nestingLimit(stackBytes: stackBytes))
        return limits
    }
}

extension Tracer {
    /// The finished scene: every node named, the title and outputs in the annotations.
    mutating func finish(fileName: String, text: String) -> Scene {
        nameRemainingNodes()
        graph.annotations.title = title?.text
        return Scene(fileName: fileName, source: text, graph: graph)
    }
}
