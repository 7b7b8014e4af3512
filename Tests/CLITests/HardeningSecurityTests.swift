import Foundation
import FoundationXML
import Testing
import TestSupport

/// A scene from a stranger can do no harm: it reads no file but itself, runs no program, opens
/// no socket, and every output escapes its title, names and notes (checked through the built
/// binary, end to end).
@Suite(.serialized) struct HardeningSecurityTests {
    /// A valid scene whose title and notes try to break out of every output format.
    static let markupScene = #"""
        title "<script>alert(\"t\")</script> ]]> <![CDATA[ x ]]> & &amp; \\ \" \n $(touch /tmp/gradflow-pwned) `id` file:///etc/passwd http://example.com/x.png | * _ % $ # ^ ~ {"
        input x = 2, w = -1
        fn neuron(a, b) = tanh(a * b)
        y = neuron(x, w)
        note y "<img src=x onerror=alert(1)> ]]> \"quoted\" \\backslash\\ \n <!-- c --> </svg></html> <style>*{}</style>"
        note x "<?xml version=\"1.0\"?> <!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]> &e;"
        output y
        """#

    static let title = #"<script>alert("t")</script> ]]> <![CDATA[ x ]]> & &amp; \ " "# + "\n"
        + #" $(touch /tmp/gradflow-pwned) `id` file:///etc/passwd http://example.com/x.png | * _ % $ # ^ ~ {"#

    @Test func theTitleReadsBackExactlyFromJSON() throws {
        let scene = try temporaryScene(Self.markupScene)
        let run = try runGradflow(["trace", scene, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["title"] as? String == Self.title)
    }

    @Test func markdownOpensNoHTMLTag() throws {
        let scene = try temporaryScene(Self.markupScene)
        let run = try runGradflow(["trace", scene, "--format", "markdown"])
        #expect(run.status == 0, "\(run.stderr)")
        let characters = Array(run.stdout)
        for (index, character) in characters.enumerated() where character == "<" {
            #expect(index > 0 && characters[index - 1] == "\\", "an unescaped `<` in the Markdown")
        }
        #expect(run.stdout.hasPrefix("### \\<script>"))
        #expect(!run.stdout.contains("\n $(touch"), "the title's line break ends the heading")
    }

    @Test func exportedSVGParsesAndCarriesNoMarkupFromTheScene() throws {
        let scene = try temporaryScene(Self.markupScene)
        let output = try temporaryOutput("graph.svg")
        let run = try runGradflow(["export", scene, "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: output), options: [])
        let names = Set(try document.nodes(forXPath: "//*").compactMap { ($0 as? XMLElement)?.localName })
        #expect(names.isSubset(of: ["svg", "g", "title", "polygon", "path", "ellipse", "text", "a", "polyline"]), "\(names)")
        let attributes = try document.nodes(forXPath: "//@*").compactMap { $0.name }
        #expect(!attributes.contains { $0.lowercased().hasPrefix("on") }, "an event handler attribute")
        // The note is there, as text.
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue).joined(separator: " ")
        #expect(texts.contains("<img src=x onerror=alert(1)>"))
    }

    @Test func exportedHTMLHasOneScriptOnly() throws {
        let scene = try temporaryScene(Self.markupScene)
        let output = try temporaryOutput("walk.html")
        let run = try runGradflow(["export", scene, "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: output, encoding: .utf8).lowercased()
        #expect(html.components(separatedBy: "<script").count == 2, "exactly one <script>, gradflow's own")
        #expect(html.components(separatedBy: "</script").count == 2)
        #expect(!html.contains("<img"))
        #expect(!html.contains("<style>*{}"))
        #expect(!html.contains("onerror=alert(1)>"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot"), "Graphviz's dot checks the DOT"))
    func exportedDOTIsAcceptedByGraphviz() throws {
        let scene = try temporaryScene(Self.markupScene)
        let output = try temporaryOutput("graph.dot")
        let run = try runGradflow(["export", scene, "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        let check = try runProgram("/usr/bin/dot", ["-Tcanon", output])
        #expect(check.status == 0)
        #expect(check.stderr.isEmpty, "\(check.stderr)")
    }

    /// Under strace: the only program started is gradflow itself, no socket is opened, the only
    /// file written is the output (through its temporary), and the scene's paths are never opened.
    @Test(.enabled(if: SystemCallTrace.isAvailable, "needs strace (make deps installs it)"),
          arguments: [["grad"], ["trace", "--format", "markdown"], ["export", "-o", "OUT.svg"], ["export", "-o", "OUT.html"]])
    func aSceneReadsNothingRunsNothingAndReachesNoNetwork(command: [String]) throws {
        let scene = try temporaryScene(Self.markupScene)
        let outputDirectory = try temporaryOutput("")
        var arguments = [command[0], scene] + command.dropFirst()
        arguments = arguments.map { $0.replacingOccurrences(of: "OUT", with: outputDirectory + "out") }
        let trace = try SystemCallTrace.run(gradflowBinary.path, arguments)
        #expect(trace.status == 0)
        #expect(trace.calls(named: "execve").count == 1, "\(trace.calls(named: "execve"))")
        #expect(trace.calls(named: ["socket", "connect", "vfork", "fork"]).isEmpty)
        // Threads are clones too (the tracer runs on one); a clone without CLONE_THREAD is a process.
        let clones = trace.calls(named: ["clone", "clone3"]).filter { !$0.contains("CLONE_THREAD") }
        #expect(clones.isEmpty, "a new process: \(clones)")
        for call in trace.calls(named: ["open", "openat", "creat"]) where call.contains("O_WRONLY") || call.contains("O_RDWR") || call.contains("O_CREAT") {
            // ThreadSanitizer's runtime (make sanitize runs this test on a TSan build) keeps a scratch file.
            let writesOutput = call.contains("\"\(outputDirectory)") || call.contains("O_TMPFILE") || call.contains("\"/tmp/tsan.")
            #expect(writesOutput, "a file written outside the output: \(call)")
        }
        #expect(trace.calls(named: ["open", "openat"]).allSatisfy { !$0.contains("/etc/passwd") && !$0.contains("gradflow-pwned") })
        #expect(!FileManager.default.fileExists(atPath: "/tmp/gradflow-pwned"))
    }

    private func temporaryOutput(_ name: String) throws -> String {
        let directory = Scratch.root.appendingPathComponent("gradflow-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.path + "/" + name
    }
}

/// The system calls one run of a program made, as strace prints them.
struct SystemCallTrace {
    var status: Int32
    var lines: [String]

    static let strace = "/usr/bin/strace"

    /// Whether strace is installed and allowed to trace here (containers may forbid ptrace).
    static let isAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: strace) else { return false }
        return (try? runProgram(strace, ["-qq", "-o", "/dev/null", "/bin/true"]).status) == 0
    }()

    /// Runs `program` with `arguments` under `strace -f`, recording the calls this test checks.
    static func run(_ program: String, _ arguments: [String]) throws -> SystemCallTrace {
        let log = Scratch.root.appendingPathComponent("strace-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let calls = "execve,fork,vfork,clone,clone3,socket,connect,open,openat,creat"
        let run = try runProgram(strace, ["-f", "-qq", "-e", "trace=\(calls)", "-o", log, program] + arguments)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        return SystemCallTrace(status: run.status, lines: text.split(separator: "\n").map(String.init))
    }

    func calls(named name: String) -> [String] { calls(named: [name]) }

    /// The lines for these calls (each line is `PID name(arguments) = result`).
    func calls(named names: [String]) -> [String] {
        lines.filter { line in
            let afterPID = line.drop { $0 != " " }.drop { $0 == " " }
            return names.contains { afterPID.hasPrefix($0 + "(") }
        }
    }
}
