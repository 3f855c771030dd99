import NIOCore

/// JSON written straight into a `ByteBuffer` (or memory one reserved, `ReservedBytes`), for the
/// inference routes' answers: the same values
/// Foundation's `JSONEncoder` writes for them (as the server configures it), without `Codable`'s
/// containers or an intermediate `Data`.
///
/// Numbers are written in their shortest form that reads back to the same value (Swift's own
/// `description`, with a trailing `.0` dropped as `JSONEncoder` does). JSON has no NaN or infinity:
/// they are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, which Python's `float()` reads.
extension JSONSink {
    mutating func writeJSONString(_ text: String) {
        writeByte(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var clean = 0  // the start of the bytes that need no escape, written in one go
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                writeRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[clean..<index])))
                writeEscape(byte)
                clean = index + 1
            }
            writeRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[clean...])))
        }
        writeByte(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): writeText("\\\"")
        case UInt8(ascii: "\\"): writeText("\\\\")
        case UInt8(ascii: "\n"): writeText("\\n")
        case UInt8(ascii: "\r"): writeText("\\r")
        case UInt8(ascii: "\t"): writeText("\\t")
        case 0x08: writeText("\\b")
        case 0x0C: writeText("\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            writeText("\\u00")
            hex.withUTF8Buffer { digits in
                writeByte(digits[Int(byte >> 4)])
                writeByte(digits[Int(byte & 0xF)])
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
            writeRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: digits[start...])))
        }
    }

    /// `description` of a finite number, without the `.0` of a whole one ("1.0" is written 1).
    private mutating func writeShortest(_ description: String) {
        var text = description
        text.withUTF8 { utf8 in
            let count = utf8.count
            let whole = count > 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0")
            writeRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[..<(whole ? count - 2 : count)])))
        }
    }

    private mutating func writeNonFinite(isNaN: Bool, negative: Bool) {
        writeText(isNaN ? "\"NaN\"" : negative ? "\"-Infinity\"" : "\"Infinity\"")
    }

    mutating func writeJSONValue(_ value: JSONValue) {
        switch value {
        case .null: writeText("null")
        case .bool(let flag): writeText(flag ? "true" : "false")
        case .number(let number): writeJSONNumber(number)
        case .string(let text): writeJSONString(text)
        case .array(let elements):
            writeJSONArray(elements) { buffer, element in buffer.writeJSONValue(element) }
        case .object(let members):
            writeByte(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { writeByte(UInt8(ascii: ",")) }
                first = false
                writeJSONString(key)
                writeByte(UInt8(ascii: ":"))
                writeJSONValue(member)
            }
            writeByte(UInt8(ascii: "}"))
        }
    }

    /// `[` the elements, each written by `write`, separated by commas `]`.
    mutating func writeJSONArray<Elements: Collection>(_ elements: Elements, _ write: (inout Self, Elements.Element) -> Void) {
        writeByte(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { writeByte(UInt8(ascii: ",")) }
            first = false
            write(&self, element)
        }
        writeByte(UInt8(ascii: "]"))
    }
}
