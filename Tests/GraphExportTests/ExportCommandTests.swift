import Foundation
import Testing
import TestSupport
@testable import GraphExport

/// `gradflow export` end to end, through the built binary (run `swift build` first).
@Suite("gradflow export")
struct ExportCommandTests {
    private func export(_ arguments: [String]) throws -> GradflowRun {
        try runGradflow(["export"] + arguments)
    }

    @Test("each format comes from the extension, with its signature")
    func formatsFromExtensions() throws {
        let directory = try temporaryDirectory()
        let signatures: [(String, [UInt8])] = [
            ("dot", Array("digraph gradflow {".utf8)), ("svg", Array("<?xml".utf8)),
            ("png", [0x89, 0x50, 0x4E, 0x47]), ("pdf", Array("%PDF-".utf8)), ("html", Array("<!DOCTYPE html>".utf8)),
        ]
        for (ext, signature) in signatures {
            let path = "\(directory)/survey.\(ext)"
            let run = try export(["Scenes/survey.scene", "-o", path])
            #expect(run.status == 0 && run.stderr.isEmpty, "\(ext): \(run.stderr)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(bytes.starts(with: signature), "\(ext)")
        }
        // The HTML page holds every frame: step 0 to step 16.
        let page = try String(contentsOfFile: "\(directory)/survey.html", encoding: .utf8)
        #expect(page.components(separatedBy: "<section class=\"frame\"").count - 1 == 17)
        // --format wins over the extension.
        let run = try export(["Scenes/survey.scene", "-o", "\(directory)/picture.out", "--format", "dot"])
        #expect(run.status == 0)
    }

    @Test("the SVG shows the survey's published numbers")
    func surveyNumbers() throws {
        let path = try temporaryDirectory() + "/survey.svg"
        #expect(try export(["Scenes/survey.scene", "-o", path]).status == 0)
        let svg = try SVGReader([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(try svg.number("value", ofNode: "n6") == "11.65")
        #expect(try svg.number("grad", ofNode: "n0") == "5.5")
        #expect(try svg.number("grad", ofNode: "n1") == "1.716")
    }

    @Test("--phase backward --step 7 is --step 14 of the survey: x̄1 has reached 5")
    func phaseRelativeSteps() throws {
        let directory = try temporaryDirectory()
        #expect(try export(["Scenes/survey.scene", "-o", "\(directory)/a.dot", "--phase", "backward", "--step", "7"]).status == 0)
        #expect(try export(["Scenes/survey.scene", "-o", "\(directory)/b.dot", "--step", "14"]).status == 0)
        let a = try String(contentsOfFile: "\(directory)/a.dot", encoding: .utf8)
        #expect(a == (try String(contentsOfFile: "\(directory)/b.dot", encoding: .utf8)))
        #expect(a.contains("x̄1: 0 → 5"))
    }

    @Test("--frames writes one file per step")
    func frames() throws {
        let directory = try temporaryDirectory() + "/frames"
        let run = try export(["Scenes/survey.scene", "--frames", directory])
        #expect(run.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        // 7 nodes, the seed and 8 contributions.
        #expect(files == (1...16).map { String(format: "frame-%04d.svg", $0) })
    }

    @Test("--wrt x1 draws the tangents of forward mode")
    func forwardMode() throws {
        let path = try temporaryDirectory() + "/forward.svg"
        #expect(try export(["Scenes/survey.scene", "-o", path, "--wrt", "x1"]).status == 0)
        let svg = try SVGReader([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(try svg.number("∂/∂x1", ofNode: "n5") == "5.5")
    }

    @Test("mistakes are one line on stderr, a non-zero exit, and no file")
    func errors() throws {
        let directory = try temporaryDirectory()
        let cases: [[String]] = [
            ["Scenes/survey.scene", "-o", "\(directory)/missing/x.svg"],
            ["Scenes/survey.scene", "-o", "\(directory)/x.svg", "--step", "99"],
            ["Scenes/survey.scene", "-o", "\(directory)/x.svg", "--phase", "backward", "--wrt", "x1"],
            ["Scenes/survey.scene", "-o", "\(directory)/x.svg", "--output", "nope"],
            ["Scenes/survey.scene", "-o", directory, "--format", "svg"],
        ]
        for arguments in cases {
            let run = try export(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.hasPrefix("gradflow: error: ") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        }
        #expect(try export(["Scenes/survey.scene", "-o", "\(directory)/x.jpg"]).status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("a large graph is folded, said so once on stderr, and Graphviz prints nothing")
    func foldsLargeGraphs() throws {
        let scene = try temporaryScene("""
            input x = 0.5
            fn sq(a) = sin(a * a)
            y = x
            repeat 200 { y = sq(y) }
            output y
            """)
        let path = try temporaryDirectory() + "/large.png"
        let run = try export([scene, "-o", path])
        #expect(run.status == 0)
        // The 200 calls have one shape: one box `sq ×200`.
        #expect(run.stderr.contains("note: 401 nodes are more than 300; 200 groups folded into 1 box"))
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        // Drawn call by call, the PNG would be 110,623 pixels wide at 144 dpi: drawn smaller,
        // and said so (issue 14: it was silent).
        let wide = try export([scene, "-o", path, "--no-collapse"])
        #expect(wide.stderr.contains("warning: the PNG would be "), "\(wide.stderr)")
        // Unfolded and tall, this PNG is beyond cairo's bitmap size: gradflow's one warning, and
        // cairo's own complaint stays inside.
        let tall = try export([scene, "-o", path, "--no-collapse", "--rankdir", "TB"])
        #expect(tall.status == 0, "\(tall.stderr)")
        #expect(tall.stderr.hasPrefix("\(scene): warning: the PNG would be ") && tall.stderr.split(separator: "\n").count == 1,
                "\(tall.stderr)")
    }

    /// The benchmark's W3 chain: 250 same-shaped iterations, each reading x and w.
    static let chainOf250 = "input x = 0.5, w = 0.9\nv = x\nrepeat 250 { v = relu(v * w + x) * 0.5 }\noutput v\n"

    /// A picture of a step mid-loop draws the step's iteration open between a box of the
    /// iterations before it and one of those after: the note on stderr counts what that picture
    /// folds, as its caption does (it said "250 groups folded into 1 box" under a caption of 2).
    @Test("the note on folding counts the boxes of the picture drawn")
    func foldingNoteMatchesThePicture() throws {
        let scene = try temporaryScene(Self.chainOf250)
        let path = try temporaryDirectory() + "/step.dot"
        // Steps 1 and 2 evaluate x and w; each iteration is 4 more: step 500 is in iteration 125.
        let run = try export([scene, "-o", path, "--step", "500"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("249 groups folded into 2 boxes"), "\(run.stderr)")
        let dot = try String(contentsOfFile: path, encoding: .utf8)
        #expect(dot.contains("249 groups folded into 2 boxes"))
        // The final picture opens nothing: the whole loop is one box.
        let final = try export([scene, "-o", path])
        #expect(final.stderr.contains("250 groups folded into 1 box"), "\(final.stderr)")
    }

    /// The benchmark's W3 chain: 250 iterations each read x and w. Drawn iteration by iteration
    /// Graphviz did not finish within minutes; folded into one box it is immediate.
    @Test("a long loop is one box ×N with its shared inputs wired into it")
    func longLoopIsOneBox() throws {
        let scene = try temporaryScene(Self.chainOf250)
        let path = try temporaryDirectory() + "/chain.svg"
        let run = try export([scene, "-o", path, "--time-limit", "60"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("250 groups folded into 1 box"))
        let svg = try SVGReader([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(try svg.texts(ofNode: "g0").first == "repeat ×250")
        // x and w are read by the run alone (`v = x` names x itself), so each is drawn once,
        // with its numbers, wired into the box: one edge each, not 250.
        #expect(try svg.texts(ofNode: "n0").first == "x" && svg.texts(ofNode: "n1").first == "w")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("n0&#45;&gt;g0") && text.contains("n1&#45;&gt;g0") && !text.contains("p0_0"))
    }

    @Test("--help teaches with examples")
    func help() throws {
        let run = try export(["--help"])
        #expect(run.status == 0 && run.stdout.contains("gradflow export Scenes/survey.scene -o survey.svg"))
    }
}
