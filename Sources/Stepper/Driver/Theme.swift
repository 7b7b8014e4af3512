import CNcursesw

/// How each ``Role`` looks on this terminal: ncurses attributes and a colour pair.
///
/// Monochrome (`--theme mono`, `NO_COLOR`, or a terminal without colours) uses attributes only,
/// chosen so that everything that matters still stands out: the current node and row in reverse
/// video, the active edge and fresh adjoints in bold, pending nodes dim.
struct Theme {
    private var attributes: [attr_t]
    private var pairs: [Int16]

    /// Resolves `--theme auto`: monochrome when `NO_COLOR` is set (to anything non-empty), as
    /// https://no-color.org asks, or when the terminal cannot change colours.
    static func resolve(_ name: ThemeName, environment: [String: String], terminalHasColors: Bool) -> ThemeName {
        if name == .mono || !terminalHasColors { return .mono }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .mono }
        return name == .automatic ? .dark : name
    }

    /// The attributes a role gets without colour.
    static func monochrome(_ role: Role) -> attr_t {
        switch role {
        case .text, .edge, .derivative, .overlay, .frame, .note: gf_attr_normal()
        case .pending: gf_attr_dim()
        case .strong, .activeEdge, .key, .focusedFrame: gf_attr_bold()
        case .title, .status, .currentRow, .selection: gf_attr_reverse()
        case .element: gf_attr_reverse() | gf_attr_underline()
        case .currentNode: gf_attr_reverse() | gf_attr_bold()
        case .partnerNode, .freshDerivative: gf_attr_bold() | gf_attr_underline()
        case .warning: gf_attr_bold() | gf_attr_underline()
        }
    }

    /// Sets up colour pairs (after `start_color`) for a colour theme, or attributes only for `mono`.
    init(_ name: ThemeName, colors: Int) {
        attributes = Role.allCases.map(Theme.monochrome)
        pairs = Array(repeating: 0, count: Role.allCases.count)
        guard name != .mono else { return }
        let dark = name != .light
        let grey: Int16 = colors >= 16 ? 8 : -1
        let accent: Int16 = dark ? Int16(COLOR_YELLOW) : Int16(COLOR_BLUE)
        let highlightText: Int16 = dark ? Int16(COLOR_BLACK) : Int16(COLOR_WHITE)
        let table: [(Role, foreground: Int16, background: Int16, attr_t)] = [
            (.text, -1, -1, gf_attr_normal()),
            (.pending, grey, -1, grey < 0 ? gf_attr_dim() : gf_attr_normal()),
            (.strong, -1, -1, gf_attr_bold()),
            (.title, highlightText, dark ? Int16(COLOR_CYAN) : Int16(COLOR_BLUE), gf_attr_bold()),
            (.frame, dark ? Int16(COLOR_CYAN) : Int16(COLOR_BLUE), -1, gf_attr_normal()),
            (.focusedFrame, accent, -1, gf_attr_bold()),
            (.currentNode, highlightText, accent, gf_attr_bold()),
            (.partnerNode, Int16(COLOR_MAGENTA), -1, gf_attr_bold()),
            (.currentRow, highlightText, accent, gf_attr_normal()),
            (.edge, grey < 0 ? -1 : grey, -1, gf_attr_normal()),
            (.activeEdge, accent, -1, gf_attr_bold()),
            (.derivative, Int16(COLOR_GREEN), -1, gf_attr_normal()),
            (.freshDerivative, Int16(COLOR_GREEN), -1, gf_attr_bold() | gf_attr_underline()),
            (.note, Int16(COLOR_MAGENTA), -1, gf_attr_normal()),
            (.warning, Int16(COLOR_RED), -1, gf_attr_bold()),
            (.status, highlightText, dark ? Int16(COLOR_WHITE) : Int16(COLOR_BLACK), gf_attr_normal()),
            (.key, dark ? Int16(COLOR_CYAN) : Int16(COLOR_BLUE), -1, gf_attr_bold()),
            (.overlay, -1, -1, gf_attr_normal()),
            (.selection, highlightText, accent, gf_attr_bold()),
            (.element, highlightText, Int16(COLOR_MAGENTA), gf_attr_bold()),
        ]
        for (index, entry) in table.enumerated() {
            let pair = Int16(index + 1)
            guard Int(pair) < gf_color_pairs(), init_pair(pair, entry.foreground, entry.background) != gf_err() else { continue }
            let role = Int(entry.0.rawValue)
            pairs[role] = pair
            attributes[role] = entry.3
        }
    }

    func attributes(of role: Role) -> attr_t { attributes[Int(role.rawValue)] }
    func pair(of role: Role) -> Int16 { pairs[Int(role.rawValue)] }
}
