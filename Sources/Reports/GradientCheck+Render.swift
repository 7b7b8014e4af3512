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
                [.text(entry.output.name), .text(entry.input.name),
                 .math(number.string(entry.reverse)), .math(number.string(entry.forward)),
                 .math(NumberFormat.significant(12).string(entry.centralDifference)),
                 .math(error.string(entry.errorForward)), .math(error.string(entry.errorCentral)),
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
        for entry in entries where entry.traceChanged {
            lines.append("note: tracing again at \(entry.input.name) ± h recorded a different graph (an `if` or a loop went another way), so the central difference for \(entry.input.name) straddles a jump\n")
        }
        for kink in kinks {
            lines.append("note: \(kink.name) = \(kink.expression) sits on a kink; its derivative there is one-sided, and central differences average the two sides\n")
        }
        let failed = entries.filter { !$0.passed }.count
        if entries.isEmpty {
            lines.append("nothing to check: the scene has no inputs\n")
            return lines.joined()
        }
        lines.append(failed == 0
            ? "passed: all \(entries.count) derivatives agree\n"
            : "FAILED: \(failed) of \(entries.count) derivatives disagree\n")
        return lines.joined()
    }

    private func verdict(_ entry: Entry) -> String {
        if !entry.reverse.isFinite { return "FAIL (not finite)" }
        switch (entry.agreesWithForward, entry.agreesWithCentral) {
        case (true, true): return "ok"
        case (false, true): return "FAIL (forward)"
        case (true, false): return "FAIL (central)"
        case (false, false): return "FAIL (both)"
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
                    ("traceChanged", .bool(entry.traceChanged)), ("passed", .bool(entry.passed)),
                ])
            })),
            ("kinks", .array(kinks.map { .object([("node", .string($0.name)), ("expression", .string($0.expression))]) })),
        ]
        if let nonFinite { members.append(("firstNonFinite", nonFinite.json)) }
        return .object(members)
    }

    /// The check in `reportFormat`: JSON for `.json`, the text form otherwise.
    public func render(_ reportFormat: ReportFormat) -> String {
        reportFormat == .json ? json.serialized() + "\n" : text()
    }
}
