#if canImport(Glibc)
import Glibc
#endif

/// Prints timings as aligned rows, each with its time per node and its ratio to a baseline.
struct Report {
    /// One measured variant of a workload.
    struct Row {
        let variant: String
        let timing: Timing
    }

    let title: String
    let nodes: Int
    var rows: [Row] = []

    /// Prints the title and one line per row; `baseline` names the row the ratios divide by.
    func print(baseline: String) {
        let base = rows.first { $0.variant == baseline }?.timing.median ?? 1
        Swift.print("\n\(title)")
        Swift.print(pad("variant", 34) + padLeft("median", 12) + padLeft("fastest", 12)
                    + padLeft("ns/node", 10) + padLeft("× " + baseline, 18))
        for row in rows {
            let median = row.timing.median
            Swift.print(pad(row.variant, 34) + padLeft(milliseconds(median), 12)
                        + padLeft(milliseconds(row.timing.fastest), 12)
                        + padLeft(fixed(median / Double(nodes) * 1e9, 2), 10)
                        + padLeft(fixed(median / base, 2), 18))
        }
    }

    /// Appends one JSON line per row to the file at `path` (`"engine": true` marks the suite's rows).
    func appendJSONLines(to path: String, workload: String) {
        var text = ""
        for row in rows {
            let median = row.timing.median
            text += "{\"tool\": \"\(row.variant)\", \"workload\": \"\(workload)\", \"engine\": true, \"nodes\": \(nodes), "
                + "\"median_seconds\": \(median), \"ns_per_node\": \(median / Double(nodes) * 1e9)}\n"
        }
        guard let file = fopen(path, "a") else {
            verify(false, "cannot open \(path) to append the results")
            return
        }
        fputs(text, file)
        fclose(file)
    }

    /// The median of the named row, in seconds.
    func median(_ variant: String) -> Double {
        rows.first { $0.variant == variant }!.timing.median
    }
}

/// `seconds` as milliseconds with three significant decimals, e.g. `12.345 ms`.
func milliseconds(_ seconds: Double) -> String { fixed(seconds * 1e3, 3) + " ms" }

/// `value` with `digits` decimals (no Foundation, so that the tool stays small).
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    var fractionText = String(fraction)
    while fractionText.count < digits { fractionText = "0" + fractionText }
    return (value < 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + fractionText : "")
}

/// `n` with thousands separators, e.g. `4,000,002`.
func grouped(_ n: Int) -> String {
    let digits = Array(String(n))
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
        text.append(digit)
    }
    return text
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

func padLeft(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}
