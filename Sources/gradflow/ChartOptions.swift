import ArgumentParser
import Charts
import Foundation
import GraphExport

/// How a chart is drawn in the terminal, and where a picture of it goes.
///
/// Used as `@OptionGroup var chart: ChartOptions` by `train`, `plot` and `check --sweep`.
struct ChartOptions: ParsableArguments {
    @Option(help: ArgumentHelp("When to colour the terminal chart (auto: when stdout is a terminal and NO_COLOR is unset).", valueName: "when"))
    var color: ColorChoice = .auto

    @Flag(help: "Draw the terminal chart with ASCII characters only (the default when the locale is not UTF-8).")
    var ascii = false

    @Option(parsing: .unconditional, help: ArgumentHelp("The terminal chart's size in characters (default: the terminal's width, at most 100, by 22).", valueName: "COLSxROWS"))
    var size: ChartSize?

    @Option(name: [.customShort("o"), .customLong("out")],
            help: ArgumentHelp("Also write the chart as a picture; .svg, .png or .pdf picks the format.", valueName: "file"))
    var outputFile: String?

    func validate() throws {
        if let file = outputFile, pictureFormat(file) == nil {
            throw ValidationError("cannot tell the picture format from '\(file)'; end it in .svg, .png or .pdf")
        }
    }

    /// The format a picture file's extension names, if it is one a chart can be written as.
    func pictureFormat(_ file: String) -> ExportFormat? {
        guard let format = ExportFormat(fileExtension: URL(fileURLWithPath: file).pathExtension),
              [.svg, .png, .pdf].contains(format) else { return nil }
        return format
    }

    /// The terminal renderer, sized and styled for where stdout goes.
    var terminal: TerminalChart {
        let environment = ProcessInfo.processInfo.environment
        let isTerminal = isatty(STDOUT_FILENO) == 1
        let colour: Bool
        switch color {
        case .always: colour = true
        case .never: colour = false
        case .auto: colour = isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
        let locale = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"] ?? ""
        let utf8 = locale.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8")
        var width = 80
        var window = winsize()
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 {
            width = min(Int(window.ws_col), 100)
        }
        return TerminalChart(width: size?.columns ?? width, height: size?.rows ?? 22, usesColour: colour,
                             usesUnicode: utf8 && !ascii)
    }

    /// Writes `chart` as a picture to ``outputFile`` (when given), saying so on stderr; never
    /// over `scene`, the file the chart was made from (`train t.svg -o t.svg` replaced it).
    func writePicture(_ chart: Chart, scene: String?) throws {
        guard let file = outputFile, let format = pictureFormat(file) else { return }
        try refuseToOverwrite(scene: scene, with: file)
        // Ctrl-C while the picture is drawn or written leaves no temporary file or directory.
        TemporaryFiles.removeOnSignals()
        let drawer = SVGChart()
        do {
            let bytes = try ChartPicture.render(svg: drawer.render(chart), width: drawer.width, height: drawer.height, format: format)
            try AtomicFile.write(bytes, to: file)
        } catch {
            throw invalidInput("\(error)")
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// `100x24`: a terminal chart's size.
struct ChartSize: ExpressibleByArgument {
    var columns: Int
    var rows: Int

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]),
              (30...1000).contains(columns), (8...500).contains(rows) else { return nil }
        self.columns = columns
        self.rows = rows
    }
}
