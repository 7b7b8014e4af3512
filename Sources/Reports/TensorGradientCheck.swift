import Foundation
import GradFlow

/// The gradient check of a scene with tensors: reverse mode against forward mode and central
/// differences, element by element.
///
/// For each output, each input and each element of the input (every element of a small input;
/// a seeded sample of ``sampleSize`` elements of a larger one), the scene is traced again with
/// that element moved by ±h, h = ∛ε · max(1, |x|), exactly as ``GradientCheck`` does for a scalar
/// input, and the same agreement test applies: `|AD − FD| ≤ tolerance · max(1, |AD|, |FD|) + noise`.
/// Forward mode seeds the same element and sweeps forward; it agrees with reverse mode within
/// 1e-9 by the same measure, as for scalars.
public struct TensorGradientCheck: Sendable {
    /// One derivative ∂output/∂input[element].
    public struct Entry: Sendable {
        public let output: NamedNode
        public let input: NamedNode
        /// The element's row-major offset and its position (`[0, 1]`; empty for a scalar input).
        public let offset: Int
        public let position: [Int]
        public let reverse: Double
        public let forward: Double
        public let centralDifference: Double
        /// `|reverse − forward| / max(1, |reverse|, |forward|)`.
        public let errorForward: Double
        /// `|reverse − central| / max(1, |reverse|, |central|)`.
        public let error: Double
        public let passed: Bool
        /// Why the element could not be moved (the scene failed to trace), if so.
        public let failure: String?
        /// The slopes on either side when the central difference straddles a kink and reverse
        /// mode agrees with one side's slope: the function is not differentiable there, and the
        /// entry passes as such.
        public let kink: Kink?

        /// `W[0, 1]`, or the name alone for a scalar input.
        public var label: String {
            position.isEmpty ? input.name : "\(input.name)[\(position.map(String.init).joined(separator: ", "))]"
        }
    }

    /// One-sided slopes `(−3f(x) + 4f(x ± h) − f(x ± 2h)) / ±2h` around a point where they differ.
    public struct Kink: Sendable, Equatable {
        public let left: Double
        public let right: Double
        /// Whether reverse mode took the left slope (otherwise the right one).
        public let takesLeft: Bool
    }

    /// Inputs with more elements than this are checked at this many elements, chosen by ``seed``.
    public static let sampleSize = 32

    public let entries: [Entry]
    public let tolerance: Double
    /// Reverse mode against forward mode, as ``GradientCheck/Tolerances/forwardMode``.
    public static let forwardTolerance = 1e-9
    public let seed: UInt64
    /// For each input that was sampled, how many of its elements were checked and how many it has.
    public let sampled: [(input: String, checked: Int, of: Int)]

    /// Checks every output against every input.
    ///
    /// - Parameter retrace: the outputs' values with the given inputs moved, keyed as
    ///   `SceneLanguage`'s input overrides are (`x` for a scalar, `W[5]` for an element at offset 5);
    ///   nil when the scene cannot be traced there.
    public init(
        _ computation: Computation, tolerance: Double = 1e-6, seed: UInt64 = 1,
        retrace: ([String: Double]) throws -> [Double]?
    ) rethrows {
        let graph = computation.graph
        self.tolerance = tolerance
        self.seed = seed
        var sampled: [(String, Int, Int)] = []
        var elementsOf: [[Int]] = []
        for input in computation.inputs {
            let count = graph.tensor(of: input.node).count
            let chosen = TensorGradientCheck.sample(count: count, seed: seed &+ UInt64(elementsOf.count))
            if chosen.count < count { sampled.append((input.name, chosen.count, count)) }
            elementsOf.append(chosen)
        }
        self.sampled = sampled
        // One retrace per moved element serves every output.
        var differences: [[[(derivative: Double, noise: Double, failure: String?)]]] = []
        var moves: [[(key: String, x: Double, h: Double)]] = []
        for (inputIndex, input) in computation.inputs.enumerated() {
            let value = graph.tensor(of: input.node)
            var perElement: [[(Double, Double, String?)]] = []
            var inputMoves: [(key: String, x: Double, h: Double)] = []
            for offset in elementsOf[inputIndex] {
                let x = value.elements[offset]
                let h = GradientCheck.step(at: x)
                let key = graph.isTensor(input.node) ? "\(input.name)[\(offset)]" : input.name
                inputMoves.append((key, x, h))
                let plus = try retrace([key: x + h]), minus = try retrace([key: x - h])
                guard let plus, let minus else {
                    perElement.append(computation.outputs.map { _ in (.nan, 0, "the scene cannot be traced with this element moved by h") })
                    continue
                }
                perElement.append(computation.outputs.indices.map { o in
                    let noise = 10 * Double.ulpOfOne * Swift.max(Swift.abs(plus[o]), Swift.abs(minus[o])) / h
                    return ((plus[o] - minus[o]) / (2 * h), noise, nil)
                })
            }
            differences.append(perElement)
            moves.append(inputMoves)
        }
        // One forward sweep per checked element serves every output.
        let forward = computation.inputs.indices.map { inputIndex in
            elementsOf[inputIndex].map { offset in
                graph.tensorTangents(withRespectTo: computation.inputs[inputIndex].node, element: offset).scalars
            }
        }
        var entries: [Entry] = []
        for (o, output) in computation.outputs.enumerated() {
            let adjoints = graph.tensorAdjoints(from: output.node)
            for (inputIndex, input) in computation.inputs.enumerated() {
                let gradient = adjoints.adjoint(of: input.node, in: graph)
                let strides = Tensor.strides(of: gradient.shape)
                for (k, offset) in elementsOf[inputIndex].enumerated() {
                    let (central, noise, failure) = differences[inputIndex][k][o]
                    let reverse = gradient.elements[offset]
                    let scale = Swift.max(1, Swift.abs(reverse), Swift.abs(central))
                    let error = Swift.abs(reverse - central) / scale
                    let tangent = forward[inputIndex][k][output.node]
                    let errorForward = Swift.abs(reverse - tangent) / Swift.max(1, Swift.abs(reverse), Swift.abs(tangent))
                    let agreesForward = failure == nil && reverse.isFinite && errorForward <= TensorGradientCheck.forwardTolerance
                    var passed = agreesForward && Swift.abs(reverse - central) <= tolerance * scale + noise
                    var kink: Kink?
                    if agreesForward && !passed {
                        let move = moves[inputIndex][k]
                        kink = try TensorGradientCheck.kink(
                            reverse: reverse, centre: graph.values[output.node], row: o, x: move.x, h: move.h, tolerance: tolerance
                        ) { try retrace([move.key: $0]) }
                        passed = kink != nil
                    }
                    let position = zip(strides, gradient.shape).map { stride, size in (offset / stride) % size }
                    entries.append(Entry(output: output, input: input, offset: offset, position: position, reverse: reverse,
                                         forward: tangent, centralDifference: central, errorForward: errorForward, error: error,
                                         passed: passed, failure: failure, kink: kink))
                }
            }
        }
        self.entries = entries
        kinks = entries.contains { $0.kink != nil } ? graph.tensorKinks().map { kink in
            let position = Tensor.position(ofOffset: kink.offset, in: graph.shape(of: kink.node))
            return "\(graph.label(of: kink.node))[\(position.map(String.init).joined(separator: ", "))] of \(graph.label(of: kink.node)) = \(graph.expression(of: kink.node))"
        } : []
    }

    /// The tensor nodes with an element on its kink, named for the report when an entry straddles one.
    public let kinks: [String]

    /// When the central difference disagrees: the one-sided slopes from x ± h and x ± 2h. They
    /// differ at a kink (relu of an element at 0, max of equal elements), where the central
    /// difference mixes the two; reverse mode passes when it takes one of them. Where the
    /// function is smooth both agree with the central difference, so a wrong gradient still fails.
    static func kink(
        reverse: Double, centre: Double, row: Int, x: Double, h: Double, tolerance: Double,
        retrace: (Double) throws -> [Double]?
    ) rethrows -> Kink? {
        let points = try [x - 2 * h, x - h, x + h, x + 2 * h].map { try retrace($0) }
        guard points.allSatisfy({ $0 != nil && $0!.indices.contains(row) }) else { return nil }
        let (fm2, fm1, fp1, fp2) = (points[0]![row], points[1]![row], points[2]![row], points[3]![row])
        let left = (3 * centre - 4 * fm1 + fm2) / (2 * h), right = (-3 * centre + 4 * fp1 - fp2) / (2 * h)
        let size = [centre, fm2, fm1, fp1, fp2].map(Swift.abs).max() ?? 0
        let noise = 10 * Double.ulpOfOne * size * 8 / (2 * h)
        func agrees(_ a: Double, _ b: Double) -> Bool {
            a.isFinite && b.isFinite && Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b)) + noise
        }
        guard !agrees(left, right) else { return nil }
        if agrees(reverse, left) { return Kink(left: left, right: right, takesLeft: true) }
        if agrees(reverse, right) { return Kink(left: left, right: right, takesLeft: false) }
        return nil
    }

    /// Every offset below `count`, or ``sampleSize`` of them drawn without repetition (in order).
    static func sample(count: Int, seed: UInt64) -> [Int] {
        guard count > sampleSize else { return Array(0..<count) }
        var state = seed
        var chosen = Set<Int>()
        while chosen.count < sampleSize {
            // SplitMix64, the generator `randn` uses, so a seed picks the same elements everywhere.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            chosen.insert(Int((z ^ (z >> 31)) % UInt64(count)))
        }
        return chosen.sorted()
    }

    public var passed: Bool { entries.allSatisfy(\.passed) }

    /// The check as aligned text: one row per element checked, then the verdict.
    public func text() -> String {
        let number = NumberFormat.shortest, errorFormat = NumberFormat.significant(2)
        let table = Table(
            title: "Gradient check: reverse mode against forward mode and central differences, element by element",
            columns: [.init("output"), .init("input"), .init("reverse mode", alignment: .right), .init("forward mode", alignment: .right),
                      .init("central difference", alignment: .right), .init("error (forward)", alignment: .right),
                      .init("error (central)", alignment: .right), .init("result")],
            rows: entries.map { entry in
                [.text(entry.output.name), .text(entry.label), .math(number.string(entry.reverse)), .math(number.string(entry.forward)),
                 .math(NumberFormat.significant(12).string(entry.centralDifference)), .math(errorFormat.string(entry.errorForward)),
                 .math(errorFormat.string(entry.error)), .text(entry.kink != nil ? "ok (not differentiable)" : entry.passed ? "ok" : "DIFFERS")]
            })
        var lines = [table.renderText()]
        lines.append("Error = |a − b| / max(1, |a|, |b|). Central differences use h = ∛ε · max(1, |x|) and agree within "
            + "\(errorFormat.string(tolerance)) plus rounding noise; forward mode agrees within \(errorFormat.string(TensorGradientCheck.forwardTolerance)).\n")
        for (input, checked, count) in sampled {
            lines.append("note: \(input) has \(count) elements; \(checked) of them, chosen with seed \(seed), were checked (--seed chooses others)\n")
        }
        let slope = NumberFormat.significant(7)
        let cause = kinks.isEmpty ? "" : " (" + kinks.prefix(2).joined(separator: ", ") + (kinks.count > 2 ? ", \(kinks.count - 2) more" : "")
            + (kinks.count == 1 ? " at its kink)" : " at their kinks)")
        for entry in entries {
            guard let kink = entry.kink else { continue }
            lines.append("note: ∂\(entry.output.name)/∂\(entry.label): not differentiable here\(cause): left \(slope.string(kink.left)), "
                + "right \(slope.string(kink.right)); AD gives \(slope.string(entry.reverse)), the \(kink.takesLeft ? "left" : "right") slope; "
                + "the central difference mixes the two\n")
        }
        for entry in entries where entry.failure != nil {
            lines.append("note: \(entry.label): \(entry.failure!)\n")
        }
        let failed = entries.filter { !$0.passed }.count
        if entries.isEmpty { return lines.joined() + "nothing to check: the scene has no inputs\n" }
        let straddles = entries.filter { $0.kink != nil }.count
        let aside = straddles == 0 ? "" : " (\(straddles) checked one-sided at a kink)"
        lines.append(failed == 0 ? "passed: all \(entries.count) derivatives agree\(aside)\n" : "FAILED: \(failed) of \(entries.count) derivatives disagree\n")
        return lines.joined()
    }

    /// The check as JSON: one entry per element checked.
    public var json: JSONValue {
        .object([
            ("passed", .bool(passed)),
            ("tolerance", .number(tolerance)),
            ("seed", .number(Double(seed))),
            ("entries", .array(entries.map { entry in
                .object([
                    ("output", .string(entry.output.name)), ("input", .string(entry.input.name)),
                    ("index", .array(entry.position.map { .number(Double($0)) })),
                    ("reverse", .number(entry.reverse)), ("forward", .number(entry.forward)),
                    ("centralDifference", .number(entry.centralDifference)),
                    ("errorForward", .number(entry.errorForward)), ("errorCentral", .number(entry.error)), ("passed", .bool(entry.passed)),
                    ("kink", entry.kink.map { .object([("left", .number($0.left)), ("right", .number($0.right))]) } ?? .null),
                ])
            })),
        ])
    }

    public func render(_ reportFormat: ReportFormat) -> String {
        reportFormat == .json ? json.serialized() + "\n" : text()
    }
}
