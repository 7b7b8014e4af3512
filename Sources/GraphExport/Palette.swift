/// The colours and line styles of one ``Theme``.
///
/// Node kinds are always told apart by shape and line style as well as by colour (inputs
/// rounded, constants dashed, outputs with a double border), so the print theme only has to
/// drop the colour, never add meaning.
struct Palette {
    var background: String
    var text: String
    /// Secondary text: op symbols, the `value`/`grad` keys, edge labels.
    var mutedText: String
    var border: String
    var edge: String
    var operationFill: String
    var inputFill: String
    var inputBorder: String
    var constantFill: String
    var outputFill: String
    var outputBorder: String
    /// Derivatives (adjoints, tangents) and the edges gradient has already flowed along.
    var derivative: String
    /// The current node and the current contribution's edge.
    var highlight: String
    var highlightFill: String
    /// Nodes not yet evaluated and edges into them.
    var faded: String
    var fadedFill: String
    /// A non-finite value.
    var alarm: String
    var clusterBorder: String
    var clusterFill: String
    var noteText: String
    /// Whether faded and pending items are drawn dashed/dotted as well as in a lighter colour.
    var usesLineStylesForState: Bool

    static func of(_ theme: Theme) -> Palette {
        switch theme {
        case .light:
            Palette(
                background: "white", text: "#1f2937", mutedText: "#6b7280", border: "#374151",
                edge: "#4b5563", operationFill: "white", inputFill: "#dbeafe", inputBorder: "#1d4ed8",
                constantFill: "#f3f4f6", outputFill: "#fef3c7", outputBorder: "#b45309",
                derivative: "#c2410c", highlight: "#be185d", highlightFill: "#fce7f3",
                faded: "#c7cbd1", fadedFill: "#fafafa", alarm: "#dc2626",
                clusterBorder: "#9ca3af", clusterFill: "#f9fafb", noteText: "#047857",
                usesLineStylesForState: false)
        case .dark:
            Palette(
                background: "#111827", text: "#f3f4f6", mutedText: "#9ca3af", border: "#d1d5db",
                edge: "#9ca3af", operationFill: "#1f2937", inputFill: "#1e3a8a", inputBorder: "#93c5fd",
                constantFill: "#374151", outputFill: "#78350f", outputBorder: "#fcd34d",
                derivative: "#fdba74", highlight: "#f472b6", highlightFill: "#500724",
                faded: "#4b5563", fadedFill: "#111827", alarm: "#f87171",
                clusterBorder: "#6b7280", clusterFill: "#161e2e", noteText: "#6ee7b7",
                usesLineStylesForState: false)
        case .print:
            Palette(
                background: "white", text: "black", mutedText: "black", border: "black",
                edge: "black", operationFill: "white", inputFill: "white", inputBorder: "black",
                constantFill: "white", outputFill: "white", outputBorder: "black",
                derivative: "black", highlight: "black", highlightFill: "white",
                faded: "#909090", fadedFill: "white", alarm: "black",
                clusterBorder: "black", clusterFill: "white", noteText: "black",
                usesLineStylesForState: true)
        }
    }
}
