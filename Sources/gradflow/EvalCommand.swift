import ArgumentParser

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "(not yet built)")

    func run() throws {
        throw ValidationError("'gradflow eval' is not built yet")
    }
}
