import ArgumentParser

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trace", abstract: "(not yet built)")

    func run() throws {
        throw ValidationError("'gradflow trace' is not built yet")
    }
}
