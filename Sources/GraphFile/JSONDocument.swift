/// A parsed JSON value that remembers where it started in the file, so that every error about
/// a graph file can name its line and column.
///
/// gradflow parses graph files itself rather than through Foundation's decoder: the decoder
/// reports a syntax error without a position and a semantic one without the line it is on, and
/// its limits on nesting and size are not ours to choose.
struct JSONNode: Sendable {
    /// The byte offset of the value's first character.
    var offset: Int
    var value: JSONValue
}

enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// A number; `integer` is set when the literal has no fraction or exponent and fits an `Int`.
    case number(Double, integer: Int?)
    case string(String)
    case array([JSONNode])
    /// Members in file order; keys are unique (the parser refuses duplicates).
    case object([(key: String, node: JSONNode)])

    /// A word for messages: "a string", "an object", …
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// A syntax error at a byte offset.
struct JSONSyntaxError: Error, Sendable {
    var offset: Int
    var message: String
}

/// A strict JSON parser (RFC 8259) over UTF-8 bytes with a nesting limit.
///
/// Recursion depth is bounded by ``maxDepth``, so no input can exhaust the stack; strings must be
/// valid UTF-8 and may not hold lone surrogates; numbers that overflow a `Double` are errors.
struct JSONParser {
    /// Deeper than any graph file needs (it nests four levels), shallow enough for any stack.
    static let maxDepth = 64

    private let bytes: [UInt8]
    private var index = 0

    /// Parses one JSON value that makes up the whole of `bytes` (whitespace aside).
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }  // a UTF-8 byte order mark
        parser.skipWhitespace()
        let root = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.error("unexpected text after the end of the JSON value") }
        return root
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? index, message: message)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        let start = index
        guard let byte = current else { throw error("the file ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maxDepth else {
                throw error("nested deeper than \(Self.maxDepth) levels; a graph file needs four")
            }
            return JSONNode(offset: start, value: byte == UInt8(ascii: "{")
                ? try parseObject(depth: depth + 1) : try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""):
            return JSONNode(offset: start, value: .string(try parseString()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(offset: start, value: try parseNumber())
        case UInt8(ascii: "t"): try expectWord("true"); return JSONNode(offset: start, value: .bool(true))
        case UInt8(ascii: "f"): try expectWord("false"); return JSONNode(offset: start, value: .bool(false))
        case UInt8(ascii: "n"): try expectWord("null"); return JSONNode(offset: start, value: .null)
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw error("NaN and Infinity are not JSON numbers; write them as the strings \"NaN\", \"Infinity\", \"-Infinity\"")
        default:
            throw error("expected a value, found \(Self.describe(byte))")
        }
    }

    private mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        let start = index
        for expected in word.utf8 {
            guard current == expected else { throw error("expected `\(word)`", at: start) }
            index += 1
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var elements: [JSONNode] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            case nil: throw error("the file ends inside a list; a `]` is missing")
            case let byte?: throw error("expected `,` or `]` in a list, found \(Self.describe(byte))")
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [(key: String, node: JSONNode)] = []
        var keys = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyStart = index
            guard current == UInt8(ascii: "\"") else {
                throw current == nil ? error("the file ends inside an object; a `}` is missing")
                    : error("expected a key in double quotes, found \(Self.describe(current!))")
            }
            let key = try parseString()
            guard keys.insert(key).inserted else { throw error("the key \"\(key)\" appears twice in this object", at: keyStart) }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected `:` after the key \"\(key)\"") }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            case nil: throw error("the file ends inside an object; a `}` is missing")
            case let byte?: throw error("expected `,` or `}` in an object, found \(Self.describe(byte))")
            }
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = index
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw error("the file ends inside a string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw error("the string is not valid UTF-8", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard let escape = current else { throw error("the file ends inside a string", at: start) }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try parseUnicodeEscape())
                default: throw error("unknown escape `\\\(Self.describe(escape))` in a string", at: index - 2)
                }
            case 0x00..<0x20:
                throw error("a control character (U+\(Self.hex(UInt32(byte)))) inside a string; write it as an escape")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    /// The UTF-8 of a `\uXXXX` escape (the `\u` already read), pairing surrogates.
    private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        let escapeStart = index - 2
        let high = try parseHexQuad()
        var scalarValue = high
        if (0xD800...0xDBFF).contains(high) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("a lone surrogate \\u\(Self.hex(high)) in a string", at: escapeStart)
            }
            index += 2
            let low = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("a lone surrogate \\u\(Self.hex(high)) in a string", at: escapeStart) }
            scalarValue = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(high) {
            throw error("a lone surrogate \\u\(Self.hex(high)) in a string", at: escapeStart)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("an invalid \\u escape", at: escapeStart) }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexDigit(byte) else { throw error("expected four hexadecimal digits after \\u") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        func digits() -> Int {
            let first = index
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            return index - first
        }
        if current == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0 else { throw error("expected a digit", at: index) }
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 {
            throw error("a number may not start with 0 (write 7, not 07)", at: start)
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            index += 1
            isInteger = false
            guard digits() > 0 else { throw error("expected a digit after the decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            isInteger = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("the number \(text.count > 40 ? String(text.prefix(40)) + "…" : text) is too large for a Double", at: start)
        }
        return .number(value, integer: isInteger ? Int(text) : nil)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits
    }

    /// A byte for a message: a printable ASCII character in backquotes, anything else by its code.
    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "`\(Character(Unicode.Scalar(byte)))`" : "byte 0x\(String(hex(UInt32(byte)).suffix(2)))"
    }
}
