/// A fragment of HTML. Strings interpolated into it are escaped; fragments are inserted as they are,
/// so text from a model file, a CSV header or a request can never become markup.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }
    public init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }
    init(trusted text: String) { self.text = text }

    public var description: String { text }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }
        /// Text: escaped for element content and quoted attribute values alike.
        public mutating func appendInterpolation(_ value: String) { HTML.escape(value, into: &text) }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        public mutating func appendInterpolation(_ value: Int64) { text += String(value) }
        public mutating func appendInterpolation(_ fragment: HTML) { text += fragment.text }
        public mutating func appendInterpolation(_ fragments: [HTML]) {
            for fragment in fragments { text += fragment.text }
        }
    }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(trusted: lhs.text + rhs.text) }
    static func += (lhs: inout HTML, rhs: HTML) { lhs.text += rhs.text }

    /// Escapes `&`, `<`, `>`, `"` and `'`, which is enough for content and quoted attributes in HTML and SVG.
    static func escape(_ value: String, into output: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\u{0}": output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }

    static func escape(_ value: String) -> String {
        var output = ""
        escape(value, into: &output)
        return output
    }
}
