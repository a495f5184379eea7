/// A JSON value with ordered objects, written deterministically (reports and golden files).
public indirect enum JSONValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// `.string(s)`, or `.null` for nil.
    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    /// `.int(n)`, or `.null` for nil.
    public static func optional(_ n: Int?) -> JSONValue { n.map(JSONValue.int) ?? .null }

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }
    public func hash(into h: inout Hasher) { h.combine(serialized()) }

    /// The JSON text: pretty-printed with two-space indentation, or compact. Strings escape `"`, `\`,
    /// control characters and DEL; `/` and non-ASCII are written as they are.
    public func serialized(pretty: Bool = true) -> String {
        var w = JSONWriter(pretty: pretty, capacity: 256)
        w.value(self)
        return w.string()
    }
}
