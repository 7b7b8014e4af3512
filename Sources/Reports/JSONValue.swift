import Escaping
import GradFlow

/// A JSON document whose object keys keep the order they were written in.
///
/// Foundation's `JSONSerialization` sorts nothing but also promises no order, and it writes
/// doubles in its own way; gradflow's machine output must be byte-stable and use the shortest
/// decimal that reads back to the same double, so it has its own small writer.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// A double: written as the shortest round-tripping decimal; NaN and infinities become the
    /// strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON has no literal for them).
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    /// Key–value pairs in the order they are written.
    case object([(String, JSONValue)])

    /// The document as compact JSON text (no spaces, no trailing newline).
    ///
    /// - Complexity: O(size of the document).
    public func serialized() -> String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Writes the document as compact JSON text to `output`.
    public func write<Output: TextOutputStream>(to output: inout Output) {
        switch self {
        case .null: output.write("null")
        case .bool(let flag): output.write(flag ? "true" : "false")
        case .integer(let value): output.write(String(value))
        case .number(let value):
            let text = NumberFormat.exact(value)
            output.write(value.isFinite ? text : "\"\(text)\"")
        case .string(let text): output.write(JSONText.quoted(text))
        case .array(let elements):
            output.write("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { output.write(",") }
                element.write(to: &output)
            }
            output.write("]")
        case .object(let members):
            output.write("{")
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.write(",") }
                output.write(JSONText.quoted(key) + ":")
                value.write(to: &output)
            }
            output.write("}")
        }
    }
}

extension JSONValue {
    /// `.number(x)`, or `.null` when `x` is nil.
    public static func number(_ value: Double?) -> JSONValue {
        value.map(JSONValue.number) ?? .null
    }
}
