import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's headless Chromium, driven over the DevTools protocol on a pipe, for tests that open
/// a page as a user's browser would: real key events, real layout, real screenshots.
///
/// Chromium reads commands from its descriptor 3 and writes replies and events to descriptor 4
/// (`--remote-debugging-pipe`), one JSON message each, ended by a NUL byte; no port, no
/// network. The browser runs in a process group of its own with a fresh profile directory, and
/// ``close()`` ends the whole group and removes the profile.
public final class HeadlessBrowser {
    /// Where `make test` installs it (Debian's `chromium-headless-shell`).
    public static let executable = "/usr/bin/chromium-headless-shell"

    public enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case cannotStart(Int32)
        case closed
        case timedOut(String)
        case protocolError(String)

        public var description: String {
            switch self {
            case .notInstalled: "\(HeadlessBrowser.executable) is missing; `make test` installs Debian's chromium-headless-shell"
            case .cannotStart(let code): "posix_spawn of Chromium failed with errno \(code)"
            case .closed: "Chromium closed its DevTools pipe"
            case .timedOut(let what): "Chromium did not answer \(what) in time"
            case .protocolError(let text): "DevTools error: \(text)"
            }
        }
    }

    private let pid: pid_t
    private let commands: Int32
    private let replies: Int32
    private let profile: URL
    private var received: [UInt8] = []
    private var nextID = 1
    private var sessionID: String?
    private var isClosed = false

    /// Starts Chromium with a `width`×`height` window on `about:blank` and attaches to its page.
    public init(width: Int, height: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else { throw Failure.notInstalled }
        profile = Scratch.root.appendingPathComponent("gradflow-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw Failure.cannotStart(errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let arguments = [
            Self.executable, "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)", "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, Self.executable, &actions, &attributes, &argv, environ)
        Glibc.close(toBrowser[0])
        Glibc.close(fromBrowser[1])
        guard status == 0 else {
            Glibc.close(toBrowser[1])
            Glibc.close(fromBrowser[0])
            throw Failure.cannotStart(status)
        }
        pid = child
        commands = toBrowser[1]
        replies = fromBrowser[0]
        do {
            let targets = try send("Target.getTargets", session: false)
            let infos = (targets["targetInfos"] as? [[String: Any]]) ?? []
            guard let page = infos.first(where: { $0["type"] as? String == "page" })?["targetId"] as? String else {
                throw Failure.protocolError("no page target in \(infos)")
            }
            let attached = try send("Target.attachToTarget", ["targetId": page, "flatten": true], session: false)
            sessionID = attached["sessionId"] as? String
            try send("Emulation.setDeviceMetricsOverride",
                     ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Opens `url` and waits until the page has loaded and run its scripts.
    public func open(_ url: URL) throws {
        try send("Page.navigate", ["url": url.absoluteString])
        for _ in 0..<200 {
            if try evaluate("document.readyState") as? String == "complete" { return }
            usleep(25_000)
        }
        throw Failure.timedOut("loading \(url.path)")
    }

    /// Presses and releases a key as a keyboard would (`key` and `code` as in KeyboardEvent).
    public func press(key: String, code: String, keyCode: Int, text: String? = nil) throws {
        var down: [String: Any] = ["type": text == nil ? "rawKeyDown" : "keyDown", "key": key, "code": code,
                                   "windowsVirtualKeyCode": keyCode]
        if let text { down["text"] = text }
        try send("Input.dispatchKeyEvent", down)
        try send("Input.dispatchKeyEvent", ["type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keyCode])
    }

    /// The value of a JavaScript expression evaluated in the page (JSON-like: strings, numbers, booleans, arrays, objects).
    @discardableResult
    public func evaluate(_ expression: String) throws -> Any? {
        let reply = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let exception = reply["exceptionDetails"] { throw Failure.protocolError("\(expression): \(exception)") }
        return (reply["result"] as? [String: Any])?["value"]
    }

    /// A PNG of the page as the window shows it.
    public func screenshot() throws -> Data {
        let reply = try send("Page.captureScreenshot", ["format": "png"])
        guard let text = reply["data"] as? String, let data = Data(base64Encoded: text) else {
            throw Failure.protocolError("no screenshot data")
        }
        return data
    }

    /// Ends the browser and every process it started, and removes its profile directory.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = try? send("Browser.close", session: false)
        Glibc.close(commands)
        var status: Int32 = 0
        var ended = false
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { ended = true; break }
            usleep(20_000)
        }
        // The group: the renderer, GPU and zygote helpers as well as the browser itself.
        kill(-pid, SIGKILL)
        if !ended { waitpid(pid, &status, 0) }
        Glibc.close(replies)
        try? FileManager.default.removeItem(at: profile)
    }

    // MARK: The protocol

    /// Sends one command and returns its result, skipping the events that arrive meanwhile.
    @discardableResult
    private func send(_ method: String, _ parameters: [String: Any] = [:], session: Bool = true) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if session, let sessionID { message["sessionId"] = sessionID }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(commands, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { throw Failure.closed }
                offset += written
            }
        }
        let deadline = Date().addingTimeInterval(30)
        while true {
            let reply = try nextMessage(until: deadline, waitingFor: method)
            guard reply["id"] as? Int == id else { continue }
            if let error = reply["error"] { throw Failure.protocolError("\(method): \(error)") }
            return (reply["result"] as? [String: Any]) ?? [:]
        }
    }

    private func nextMessage(until deadline: Date, waitingFor method: String) throws -> [String: Any] {
        while true {
            if let end = received.firstIndex(of: 0) {
                let message = Data(received[..<end])
                received.removeSubrange(...end)
                return (try JSONSerialization.jsonObject(with: message) as? [String: Any]) ?? [:]
            }
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            guard remaining > 0 else { throw Failure.timedOut(method) }
            var descriptor = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, remaining) > 0 else { throw Failure.timedOut(method) }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(replies, &chunk, chunk.count)
            guard count > 0 else { throw Failure.closed }
            received.append(contentsOf: chunk[..<count])
        }
    }
}
