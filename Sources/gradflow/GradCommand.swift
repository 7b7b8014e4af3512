import ArgumentParser

struct GradCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grad", abstract: "(not yet built)")

    func run() throws {
        throw ValidationError("'gradflow grad' is not built yet")
    }
}
