import NIOCore

/// JSON written straight into a `ByteBuffer`, for the inference routes' answers: the same values
/// Foundation's `JSONEncoder` writes for them (as the server configures it), without `Codable`'s
/// containers or an intermediate `Data`.
///
/// Numbers are written in their shortest form that reads back to the same value (Swift's own
/// `description`, with a trailing `.0` dropped as `JSONEncoder` does). JSON has no NaN or infinity:
/// they are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, which Python's `float()` reads.
extension ByteBuffer {
    mutating func writeJSONString(_ text: String) {
        writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var clean = 0  // the start of the bytes that need no escape, written in one go
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                writeBytes(UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                writeEscape(byte)
                clean = index + 1
            }
            writeBytes(UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        writeInteger(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): writeStaticString("\\\"")
        case UInt8(ascii: "\\"): writeStaticString("\\\\")
        case UInt8(ascii: "\n"): writeStaticString("\\n")
        case UInt8(ascii: "\r"): writeStaticString("\\r")
        case UInt8(ascii: "\t"): writeStaticString("\\t")
        case 0x08: writeStaticString("\\b")
        case 0x0C: writeStaticString("\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            writeStaticString("\\u00")
            hex.withUTF8Buffer { digits in
                writeInteger(digits[Int(byte >> 4)])
                writeInteger(digits[Int(byte & 0xF)])
            }
        }
    }

    mutating func writeJSONNumber(_ value: Float) {
        guard value.isFinite else { return writeNonFinite(isNaN: value.isNaN, negative: value < 0) }
        writeShortest(value.description)
    }

    mutating func writeJSONNumber(_ value: Double) {
        guard value.isFinite else { return writeNonFinite(isNaN: value.isNaN, negative: value < 0) }
        writeShortest(value.description)
    }

    mutating func writeJSONNumber(_ value: some FixedWidthInteger) {
        // At most 20 digits and a sign; written backwards into a small stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var magnitude = value.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            writeBytes(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// `description` of a finite number, without the `.0` of a whole one ("1.0" is written 1).
    private mutating func writeShortest(_ description: String) {
        var text = description
        text.withUTF8 { utf8 in
            let count = utf8.count
            let whole = count > 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0")
            writeBytes(UnsafeBufferPointer(rebasing: utf8[..<(whole ? count - 2 : count)]))
        }
    }

    private mutating func writeNonFinite(isNaN: Bool, negative: Bool) {
        writeStaticString(isNaN ? "\"NaN\"" : negative ? "\"-Infinity\"" : "\"Infinity\"")
    }

    mutating func writeJSONValue(_ value: JSONValue) {
        switch value {
        case .null: writeStaticString("null")
        case .bool(let flag): writeStaticString(flag ? "true" : "false")
        case .number(let number): writeJSONNumber(number)
        case .string(let text): writeJSONString(text)
        case .array(let elements):
            writeJSONArray(elements) { buffer, element in buffer.writeJSONValue(element) }
        case .object(let members):
            writeInteger(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { writeInteger(UInt8(ascii: ",")) }
                first = false
                writeJSONString(key)
                writeInteger(UInt8(ascii: ":"))
                writeJSONValue(member)
            }
            writeInteger(UInt8(ascii: "}"))
        }
    }

    /// `[` the elements, each written by `write`, separated by commas `]`.
    mutating func writeJSONArray<Elements: Collection>(_ elements: Elements, _ write: (inout ByteBuffer, Elements.Element) -> Void) {
        writeInteger(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { writeInteger(UInt8(ascii: ",")) }
            first = false
            write(&self, element)
        }
        writeInteger(UInt8(ascii: "]"))
    }
}
