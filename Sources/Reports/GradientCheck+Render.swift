import GradFlow

/// The gradient check as a table for people and as JSON.
extension GradientCheck {
    /// The check as aligned text: one row per derivative, then what was compared and the verdict.
    public func text() -> String {
        let number = NumberFormat.shortest, error = NumberFormat.significant(2)
        let table = Table(
            title: "Gradient check: reverse mode against forward mode and central differences",
            columns: [
                .init("output"), .init("input"), .init("reverse mode", alignment: .right),
                .init("forward mode", alignment: .right), .init("central difference", alignment: .right),
                .init("error (forward)", alignment: .right), .init("error (central)", alignment: .right), .init("result"),
            ],
            rows: entries.map { entry in
                // An input that cannot be moved has no central difference to show.
                let movable = if case .notCheckable = entry.finiteDifference { false } else { true }
                return [.text(entry.output.name), .text(entry.input.name),
                        .math(number.string(entry.reverse)), .math(number.string(entry.forward)),
                        movable ? .math(NumberFormat.significant(12).string(entry.centralDifference)) : .text("–"),
                        .math(error.string(entry.errorForward)), movable ? .math(error.string(entry.errorCentral)) : .text("–"),
                        .text(verdict(entry))]
            })
        var lines = [table.renderText()]
        lines.append("""
            Jacobian: reverse mode took \(reversePasses) pass\(reversePasses == 1 ? "" : "es") (one per output), \
            forward mode \(forwardPasses) (one per input).
            Error = |a − b| / max(1, |a|, |b|). Central differences use h = ∛ε · max(1, |x|) ≈ \
            \(error.string(GradientCheck.step(at: 1))) · max(1, |x|) and agree within \
            \(error.string(tolerances.centralDifference)) plus rounding noise; \
            forward mode agrees within \(error.string(tolerances.forwardMode)).
            """ + "\n")
        var straddles = 0
        var uncheckable: [String] = []
        for entry in entries {
            switch entry.finiteDifference {
            case .straddles(let straddle):
                straddles += 1
                lines.append("note: " + Self.explanation(of: straddle, entry: entry) + "\n")
            case .notCheckable(let reason) where !uncheckable.contains(entry.input.name):
                uncheckable.append(entry.input.name)
                lines.append("note: \(entry.input.name) cannot be checked by finite differences: the scene cannot be traced "
                    + "with \(entry.input.name) moved by h (\(reason)); an input that sets a `repeat` count or a `randn` "
                    + "seed must stay whole. Its derivatives are checked against forward mode only.\n")
            case .detached(let nodes):
                lines.append("note: ∂\(entry.output.name)/∂\(entry.input.name): \(nodes.joined(separator: ", ")) = detach(…) stops the "
                    + "gradient on purpose; finite differences see through it, so they differ by design. Checked against forward mode.\n")
            case .disagrees where entry.traceChanged:
                lines.append("note: tracing again at \(entry.input.name) ± h recorded a different graph (an `if` or a loop went another way), so the central difference for \(entry.input.name) straddles a jump\n")
            default: break
            }
        }
        if straddles == 0 {
            for kink in kinks {
                lines.append("note: \(kink.name) = \(kink.expression) sits on a kink; its derivative there is one-sided, and central differences average the two sides\n")
            }
        }
        let failed = entries.filter { !$0.passed }.count
        if entries.isEmpty {
            lines.append("nothing to check: the scene has no inputs\n")
            return lines.joined()
        }
        var aside: [String] = []
        if straddles > 0 { aside.append("\(straddles) checked one-sided at a kink or branch") }
        let detached = entries.filter { if case .detached = $0.finiteDifference { true } else { false } }.count
        if detached > 0 { aside.append("\(detached) through detach checked against forward mode only") }
        if !uncheckable.isEmpty {
            aside.append("\(uncheckable.count) input\(uncheckable.count == 1 ? "" : "s") (\(uncheckable.joined(separator: ", "))) "
                + "checked against forward mode only")
        }
        lines.append(failed == 0
            ? "passed: all \(entries.count) derivatives agree" + (aside.isEmpty ? "" : " (" + aside.joined(separator: "; ") + ")") + "\n"
            : "FAILED: \(failed) of \(entries.count) derivatives disagree\n")
        return lines.joined()
    }

    /// One line saying what the central difference straddles and how the gradient compares
    /// with the slopes on either side: `not differentiable at x = 0 (…): left 0, right 1; AD gives 0, the left slope`.
    static func explanation(of straddle: Straddle, entry: Entry) -> String {
        let slope = NumberFormat.significant(7)
        let x = NumberFormat.shortest.string(straddle.at)
        func side(_ value: Double?, smooth: Bool) -> String {
            guard let value else { return "unknown" }
            // A side where something changes has only a first-order estimate: 4 digits of it.
            return smooth ? slope.string(value) : "≈ " + NumberFormat.significant(4).string(value)
        }
        let slopes = "left \(side(straddle.left, smooth: straddle.leftIsSmooth)), right \(side(straddle.right, smooth: straddle.rightIsSmooth))"
        let derivative = "∂\(entry.output.name)/∂\(entry.input.name)"
        let verdict = switch straddle.agreeingSide {
        case .left?: "the left slope"
        case .right?: "the right slope"
        case .between?: "between the two (a subgradient, as AD systems take it at a kink)"
        case nil: "which is neither side's slope: a wrong derivative"
        }
        let ad = "AD gives \(slope.string(entry.reverse)), \(verdict)"
        if straddle.atKink && straddle.sidesDiffer {
            let kinks = straddle.cause.contains(", ") ? "at their kinks" : "at its kink"
            return "\(derivative): not differentiable at \(entry.input.name) = \(x) (\(straddle.cause) \(kinks)): \(slopes); \(ad)"
        }
        return "\(derivative) at \(entry.input.name) = \(x): the central difference (\(slope.string(entry.centralDifference))) "
            + "crosses \(straddle.cause) between \(entry.input.name) − h and \(entry.input.name) + h, so it mixes two slopes; "
            + "one-sided: \(slopes); \(ad)"
    }

    private func verdict(_ entry: Entry) -> String {
        if !entry.reverse.isFinite { return "FAIL (not finite)" }
        switch (entry.agreesWithForward, entry.finiteDifference) {
        case (true, .agrees): return "ok"
        case (true, .notCheckable): return "ok (forward only)"
        case (true, .detached): return "ok (detached)"
        case (true, .straddles(let straddle)):
            guard straddle.agreeingSide != nil else { return "FAIL (one-sided)" }
            return straddle.atKink && straddle.sidesDiffer ? "ok (not differentiable)" : "ok (one-sided)"
        case (false, .agrees), (false, .notCheckable), (false, .detached): return "FAIL (forward)"
        case (true, .disagrees): return "FAIL (central)"
        case (false, _): return "FAIL (both)"
        }
    }

    /// The check as JSON:
    ///
    /// ```json
    /// {"passed":true,"tolerance":{"centralDifference":1e-06,"forwardMode":1e-09},
    ///  "passes":{"reverse":1,"forward":2},
    ///  "entries":[{"output":"f","input":"x1","reverse":5.5,"forward":5.5,
    ///    "centralDifference":5.500000000026,"step":1.2e-05,"errorForward":0,
    ///    "errorCentral":4.7e-12,"traceChanged":false,"passed":true},…],
    ///  "kinks":[]}
    /// ```
    /// plus `firstNonFinite` when a value is not finite.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("passed", .bool(passed)),
            ("tolerance", .object([
                ("centralDifference", .number(tolerances.centralDifference)),
                ("forwardMode", .number(tolerances.forwardMode)),
            ])),
            ("passes", .object([("reverse", .integer(reversePasses)), ("forward", .integer(forwardPasses))])),
            ("entries", .array(entries.map { entry in
                .object([
                    ("output", .string(entry.output.name)), ("input", .string(entry.input.name)),
                    ("reverse", .number(entry.reverse)), ("forward", .number(entry.forward)),
                    ("centralDifference", .number(entry.centralDifference)), ("step", .number(entry.step)),
                    ("errorForward", .number(entry.errorForward)), ("errorCentral", .number(entry.errorCentral)),
                    ("traceChanged", .bool(entry.traceChanged)), ("finiteDifference", Self.json(entry.finiteDifference, entry: entry)),
                    ("passed", .bool(entry.passed)),
                ])
            })),
            ("kinks", .array(kinks.map { .object([("node", .string($0.name)), ("expression", .string($0.expression))]) })),
        ]
        if let nonFinite { members.append(("firstNonFinite", nonFinite.json)) }
        return .object(members)
    }

    /// `"agrees"`, `"disagrees"`, or an object for a straddle (`{"kind":"notDifferentiable"|"oneSided",
    /// "cause":…,"left":…,"right":…,"agreesWith":"left"|"right"|null,"note":…}`) or an input that
    /// cannot be moved (`{"kind":"notCheckable","reason":…}`).
    static func json(_ finding: FiniteDifference, entry: Entry) -> JSONValue {
        switch finding {
        case .agrees: return .string("agrees")
        case .disagrees: return .string("disagrees")
        case .notCheckable(let reason): return .object([("kind", .string("notCheckable")), ("reason", .string(reason))])
        case .detached(let nodes): return .object([("kind", .string("detached")), ("through", .array(nodes.map { .string($0) }))])
        case .straddles(let straddle):
            return .object([
                ("kind", .string(straddle.atKink && straddle.sidesDiffer ? "notDifferentiable" : "oneSided")),
                ("cause", .string(straddle.cause)),
                ("left", straddle.left.map(JSONValue.number) ?? .null), ("right", straddle.right.map(JSONValue.number) ?? .null),
                ("agreesWith", straddle.agreeingSide.map { .string($0.rawValue) } ?? .null),
                ("note", .string(explanation(of: straddle, entry: entry))),
            ])
        }
    }

    /// The check in `reportFormat`: JSON for `.json`, the text form otherwise.
    public func render(_ reportFormat: ReportFormat) -> String {
        reportFormat == .json ? json.serialized() + "\n" : text()
    }
}
