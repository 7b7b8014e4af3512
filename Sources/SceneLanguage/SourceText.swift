/// A scene's text as an array of Unicode scalars, with what diagnostics need: line starts.
///
/// The lexer walks scalars (fast random access, one per code point); positions are scalar
/// offsets. Only when a diagnostic is made is an offset turned into a line and a column counted
/// in characters, so that the common path pays nothing for grapheme breaking.
struct SourceText {
    let fileName: String
    let scalars: [Unicode.Scalar]
    /// The scalar offset at which each line starts; line 1 starts at 0.
    let lineStarts: [Int]

    init(_ text: String, fileName: String) {
        self.fileName = fileName
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        for (offset, scalar) in scalars.enumerated() where scalar == "\n" {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    /// The text between two scalar offsets.
    func text(_ range: Range<Int>) -> String {
        let slice = scalars[range.clamped(to: 0..<scalars.count)]
        // ASCII (most names and numbers) converts byte by byte, much faster than appending scalars.
        if slice.allSatisfy(\.isASCII) {
            return String(decoding: slice.map { UInt8(truncatingIfNeeded: $0.value) }, as: UTF8.self)
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: slice)
        return result
    }

    /// The 1-based line holding `offset`.
    func line(of offset: Int) -> Int {
        // Binary search for the last line start at or before offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// A diagnostic pointing at the character that starts at scalar `offset`.
    func diagnostic(at offset: Int, _ message: String) -> Diagnostic {
        var offset = min(max(0, offset), scalars.count)
        let line = line(of: offset)
        var start = lineStarts[line - 1]
        // The lexer skips a byte-order mark; columns and the line shown must skip it too.
        if line == 1, scalars.first == "\u{FEFF}" {
            start = 1
            offset = max(offset, 1)
        }
        var end = line < lineStarts.count ? lineStarts[line] - 1 : scalars.count
        if end > start, scalars[end - 1] == "\r" { end -= 1 }
        let column = text(start..<offset).count + 1
        return Diagnostic(
            fileName: fileName, line: line, column: column, message: message,
            sourceLine: text(start..<end))
    }
}
