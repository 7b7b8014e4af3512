import Foundation

/// Turns an SVG picture that gradflow drew itself (a chart) into PNG or PDF, in-process.
///
/// Graphviz's cairo renderer draws a node's `image` through librsvg when the image is an SVG
/// file, so a one-node graph whose node is the picture, sized to it, renders the picture as
/// PNG (at ``Exporter/pngDotsPerInch``, scaled as vectors, not resampled) or as a vector PDF.
/// The SVG goes through a private temporary directory, which is removed afterwards.
public enum ChartPicture {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unsupported(ExportFormat)
        case temporaryFile(String)

        public var description: String {
            switch self {
            case .unsupported(let format): "a chart cannot be written as \(format.rawValue); use svg, png or pdf"
            case .temporaryFile(let reason): "cannot prepare the picture: \(reason)"
            }
        }
    }

    /// The picture in `format`: the SVG itself for `.svg`, else rendered through Graphviz.
    ///
    /// - Parameters:
    ///   - svg: a complete SVG document, `width` × `height` points.
    public static func render(svg: String, width: Double, height: Double, format: ExportFormat) throws -> [UInt8] {
        switch format {
        case .svg: return Array(svg.utf8)
        case .png, .pdf: break
        case .dot, .html: throw Failure.unsupported(format)
        }
        var template = Array((NSTemporaryDirectory() + "/gradflow-chart-XXXXXX").utf8CString)
        guard let directoryPointer = mkdtemp(&template) else {
            throw Failure.temporaryFile(String(cString: strerror(errno)))
        }
        let directory = String(cString: directoryPointer)
        let file = directory + "/chart.svg"
        // A signal while Graphviz draws (a large PDF takes a while) removes both (the command
        // installs TemporaryFiles.removeOnSignals()); every other way out, this defer does.
        TemporaryFiles.register(file, inTemporaryDirectory: directory)
        defer {
            unlink(file)
            rmdir(directory)
            TemporaryFiles.unregister()
        }
        do {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: file))
        } catch {
            throw Failure.temporaryFile(error.localizedDescription)
        }
        let inches = (width: width / 72, height: height / 72)
        let dot = """
            digraph chart {
              graph [imagepath="\(directory.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))", pad=0, margin=0]
              node [shape=none, label="", image="chart.svg", imagescale=true, fixedsize=true, margin=0, \
            width=\(inches.width), height=\(inches.height)]
              chart
            }
            """
        return try Exporter.render(dot: dot, format: format)
    }
}
