import ArgumentParser

@main
struct Gradflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradflow",
        abstract: "See a computation graph and its gradients flow, in the terminal and on slides.",
        discussion: """
            A scene is a small text file describing a computation (see the README's language \
            reference). gradflow records every node of it once, with its value and local \
            derivatives, and lets you step through backpropagation, print evaluation traces, \
            check gradients and export pictures.

            Start with:  gradflow step Scenes/survey.scene
            """,
        subcommands: [
            StepCommand.self, TraceCommand.self, GradCommand.self, CheckCommand.self,
            EvalCommand.self, ExportCommand.self, TrainCommand.self, PlotCommand.self,
        ])

    /// ArgumentParser's entry point, after making the standard descriptors safe to write.
    static func main() {
        StandardStreams.prepare()
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            exitReporting(error)
        }
    }
}
