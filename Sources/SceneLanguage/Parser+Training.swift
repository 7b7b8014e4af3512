/// `train N steps, lr R, momentum M { … }` and `minimize loss`.
///
/// `train`, `steps`, `lr`, `momentum` and `minimize` are not keywords: they mean something only
/// where a statement starts with `train` or `minimize` followed by something that cannot follow
/// a name being assigned. A scene that names a node `lr` or `train` keeps working.
extension Parser {
    /// A `train` block or a `minimize` statement, if the statement starting at the name `name`
    /// is one; nil for an ordinary assignment.
    mutating func parseContextualStatement(_ name: String, topLevel: Bool) throws(Diagnostic) -> Statement? {
        guard name == "train" || name == "minimize", position + 1 < tokens.count else { return nil }
        switch tokens[position + 1].kind {
        case .symbol(.assign), .symbol(.addAssign), .symbol(.subtractAssign), .symbol(.multiplyAssign),
             .symbol(.divideAssign), .symbol(.leftParen):
            return nil
        default:
            break
        }
        let start = current.start
        advance()
        if name == "minimize" {
            guard insideTraining else {
                throw error("`minimize` is only allowed inside a `train` block", at: start)
            }
            return .minimize(try expectName("the name of the loss after `minimize`, e.g. `minimize loss`"))
        }
        guard topLevel, !insideTraining else {
            throw error("`train` is only allowed at the top level of a scene, not inside a block or function", at: start)
        }
        if let previous = trainingStart {
            throw error("the scene already has a `train` block (line \(source.line(of: previous))); a scene trains once", at: start)
        }
        trainingStart = start
        let steps = try parseValue("the number of steps after `train`, e.g. `train 100 steps, lr 0.1 { … }`")
        try expectWord(["steps", "step"], "after the number of steps, e.g. `train 100 steps, lr 0.1 { … }`")
        try expect(.comma, "after `steps`, then the learning rate, e.g. `, lr 0.1`")
        try expectWord(["lr"], "(the learning rate) after `steps,`, e.g. `train 100 steps, lr 0.1 { … }`")
        let learningRate = try parseValue("the learning rate after `lr`")
        var momentum: Expression?
        if accept(.comma) {
            try expectWord(["momentum"], "after the learning rate, e.g. `, momentum 0.9`")
            momentum = try parseValue("the momentum after `momentum`, e.g. `momentum 0.9`")
        }
        insideTraining = true
        defer { insideTraining = false }
        let body = try parseBlock("train")
        return .train(TrainingBlock(steps: steps, learningRate: learningRate, momentum: momentum, body: body, start: start))
    }

    /// Consumes one of `words` written as a name, or throws.
    private mutating func expectWord(_ words: [String], _ context: String) throws(Diagnostic) {
        guard case .name(let word) = current.kind, words.contains(word) else {
            throw error("expected `\(words[0])` \(context), found \(current.description)")
        }
        advance()
    }
}
