import ArgumentParser

struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "step", abstract: "(not yet built)")

    func run() throws {
        throw ValidationError("'gradflow step' is not built yet")
    }
}
