import GradFlow

/// How a report is written.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal.
    case text
    /// GitHub-flavoured Markdown tables, for notes and READMEs.
    case markdown
    /// LaTeX `tabular`s with the mathematics typeset, for slides and papers.
    case latex
    /// Comma-separated values with full-precision numbers, for spreadsheets and scripts.
    case csv
    /// One JSON document with full-precision numbers, for programs.
    case json

    /// Whether the format is read by programs (and so wants every digit).
    public var isForMachines: Bool { self == .csv || self == .json }

    /// The number format a report uses unless `--precision` says otherwise: the shortest
    /// round-tripping decimal for machines, 4 significant digits for people (the survey's
    /// tables print 3 decimals; 4 significant digits tell 1.716 from 1.717 and keep a
    /// slide's columns narrow).
    public var defaultNumberFormat: NumberFormat {
        isForMachines ? .shortest : .significant(4)
    }

    /// The number format for `precision` significant digits, or this format's default.
    public func numberFormat(precision: Int?) -> NumberFormat {
        precision.map { .significant($0) } ?? defaultNumberFormat
    }
}
