import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one directory the tests make their files in: `gradflow-tests-PID` in the temporary
/// directory, removed when the test process exits, so that a test run leaves nothing behind
/// (runs used to leave hundreds of `gradflow-scene-*`, `gradflow-out-*` and `gradflow-export-*`
/// directories in /tmp). The directory of a test process that died without exiting (a crash,
/// SIGKILL) is removed by the next run.
public enum Scratch {
    private static let prefix = "gradflow-tests-"

    /// Made on first use; the exit handler is registered then.
    public static let root: URL = {
        let base = FileManager.default.temporaryDirectory
        removeLeftovers(in: base)
        let url = base.appendingPathComponent(prefix + "\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return url
    }()

    /// A fresh empty directory under ``root``, named `name-UUID`.
    public static func directory(_ name: String) throws -> URL {
        let url = root.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes the directories of earlier test processes that no longer run from `base`.
    public static func removeLeftovers(in base: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid(),
                  kill(pid, 0) == -1, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
        }
    }
}
