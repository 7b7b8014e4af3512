import ArgumentParser

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "(not yet built)")

    func run() throws {
        throw ValidationError("'gradflow export' is not built yet")
    }
}
