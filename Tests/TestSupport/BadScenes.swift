import Foundation

/// Where the bad-input corpus lives and what is in it.
public enum BadScenes {
    /// `Tests/BadScenes`: invalid scenes, each with its golden `.expected` diagnostics.
    public static let directory = repositoryRoot.appendingPathComponent("Tests/BadScenes")

    /// The corpus's scene files, sorted.
    public static let names: [String] = {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return all.filter { $0.hasSuffix(".scene") }.sorted()
    }()

    /// The golden diagnostics of the scene `name`, as the scene's file name alone would show them.
    public static func expectedURL(for name: String) -> URL {
        directory.appendingPathComponent(name.replacingOccurrences(of: ".scene", with: ".expected"))
    }
}
