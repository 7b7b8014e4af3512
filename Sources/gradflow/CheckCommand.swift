import ArgumentParser

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(not yet built)")

    func run() throws {
        throw ValidationError("'gradflow check' is not built yet")
    }
}
