// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way, from the engine out (each target lists only the modules it imports):
// GradFlow (on COpenBLAS) ← SceneLanguage ← GraphFile, Reports; GradFlow ← Notation ← GraphExport,
// Reports; SceneLanguage, GraphExport, Charts ← Stepper; all of them ← gradflow. Escaping depends
// on nothing and serves Charts, GraphExport, GraphFile and Reports.
let package = Package(
    name: "gradflow",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "GradFlow", targets: ["GradFlow"]),
        .library(name: "SceneLanguage", targets: ["SceneLanguage"]),
        .executable(name: "gradflow", targets: ["gradflow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // OpenBLAS's CBLAS (Debian's libopenblas-dev): the matrix kernel behind MatrixProduct.gemm,
        // declared here and opened at run time (not linked: see MatrixProduct.openBLAS).
        // No pkgConfig: the shim includes <cblas.h> from the multiarch include path.
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // The engine: recorded graph, op rules, reverse/forward mode, timeline. No I/O; its one C
        // dependency is the BLAS that tensor matrix products run on.
        .target(name: "GradFlow", dependencies: ["COpenBLAS"]),
        // User text into JSON string literals and XML/SVG/HTML markup: the one place each is escaped.
        .target(name: "Escaping"),
        // Scene text → recorded graph: lexer, parser, diagnostics, tracer.
        .target(name: "SceneLanguage", dependencies: ["GradFlow"]),
        // How mathematics is written (adjoints, tangents, contributions, expressions) in Unicode,
        // ASCII and LaTeX, for every view.
        .target(name: "Notation", dependencies: ["GradFlow"]),
        // No pkgConfig: libgvc.pc carries -D flags that SwiftPM refuses with a warning, and the
        // shim includes <graphviz/gvc.h> from the default include path anyway.
        .systemLibrary(name: "CGraphviz", providers: [.apt(["libgraphviz-dev"])]),
        // DOT writer, in-process libgvc renderer, layout read-back.
        .target(name: "GraphExport", dependencies: ["GradFlow", "Notation", "Escaping", "CGraphviz"]),
        // No pkgConfig for the same reason; the shim defines NCURSES_WIDECHAR itself.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // The terminal stepper: model → update → view into a cell grid; a thin ncurses driver.
        .target(name: "Stepper", dependencies: ["GradFlow", "SceneLanguage", "GraphExport", "Notation", "Charts", "CNcursesw"]),
        // Line charts (plots, finite-difference sweeps, loss curves) as terminal text and as SVG.
        .target(name: "Charts", dependencies: ["Escaping"]),
        // The graph file: a recorded graph as versioned JSON, written and read (hostile-input safe).
        .target(name: "GraphFile", dependencies: ["GradFlow", "SceneLanguage", "Escaping"]),
        // Reports for people and programs: evaluation traces (text, Markdown, LaTeX, CSV, JSON),
        // gradients, gradient checks, training tables.
        .target(name: "Reports", dependencies: ["GradFlow", "SceneLanguage", "Notation", "Escaping"]),
        .executableTarget(
            name: "gradflow",
            dependencies: [
                "GradFlow", "SceneLanguage", "Reports", "GraphExport", "Stepper", "Charts", "GraphFile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // `make bench`: the engine against hand-written Swift and `_Differentiation` (release only).
        .executableTarget(
            name: "GradflowBench",
            dependencies: [
                "GradFlow", "SceneLanguage", "Stepper",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/GradflowBench"),
        .target(name: "TestSupport", dependencies: ["GradFlow"], path: "Tests/TestSupport"),
        .testTarget(name: "GradFlowTests", dependencies: ["GradFlow", "TestSupport"]),
        .testTarget(name: "SceneLanguageTests", dependencies: ["SceneLanguage", "TestSupport"]),
        .testTarget(name: "GraphExportTests", dependencies: ["GraphExport", "SceneLanguage", "TestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "StepperTests", dependencies: ["Stepper", "SceneLanguage", "GraphExport", "Notation", "TestSupport"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "GraphFileTests", dependencies: ["GraphFile", "SceneLanguage", "TestSupport"]),
        .testTarget(name: "NotationTests", dependencies: ["Notation", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        .testTarget(name: "EscapingTests", dependencies: ["Escaping"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
