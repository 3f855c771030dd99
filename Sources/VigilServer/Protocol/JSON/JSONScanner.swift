import VigilModels

/// Reads JSON from UTF-8 bytes in place, for the request bodies of the inference routes.
///
/// It reads strict JSON, plus the `NaN`, `Infinity` and `-Infinity` that Python's `json` writes. Anything
/// else, and anything it cannot read exactly as Foundation's `JSONDecoder` would, stops it with
/// `Unsupported`: the caller then decodes the body with Foundation, which accepts it or explains what is
/// wrong. So this reader changes speed, not answers: what it reads equals what Foundation reads
/// (which takes `NaN` and `Infinity` only in JSON5 mode, no longer used: it traps on some numbers).
///
/// The bytes must stay valid while the scanner is used, and must already be checked to be UTF-8.
struct JSONScanner {
    /// The body steps outside what this reader decides; Foundation's decoder must read it.
    struct Unsupported: Error {}

    /// Nesting deeper than this is left to Foundation (which has its own limit).
    static let maximumDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// How many bytes are left to read.
    var bytesLeft: Int { bytes.count - index }

    // MARK: Structure

    /// The next byte after whitespace, not consumed.
    mutating func peek() throws(Unsupported) -> UInt8 {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == .space || byte == .newline || byte == .carriageReturn || byte == .tab else { return byte }
            index += 1
        }
        throw Unsupported()
    }

    /// The next byte after whitespace, not consumed: without a call when no whitespace comes first,
    /// as in the compact JSON clients send.
    @inline(__always)
    private mutating func next() throws(Unsupported) -> UInt8 {
        if index < bytes.count, case let byte = bytes[index], byte > .space { return byte }
        return try peek()
    }

    /// Consumes `byte`, which must come next.
    mutating func expect(_ byte: UInt8) throws(Unsupported) {
        guard try next() == byte else { throw Unsupported() }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) throws(Unsupported) -> Bool {
        guard try next() == byte else { return false }
        index += 1
        return true
    }

    /// After a member or element: true past a comma, false past `close`.
    mutating func separator(before close: UInt8) throws(Unsupported) -> Bool {
        let byte = try next()
        index += 1
        if byte == .comma { return true }
        guard byte == close else { throw Unsupported() }
        return false
    }

    /// Nothing but whitespace is left.
    mutating func expectEnd() throws(Unsupported) {
        guard (try? peek()) == nil else { throw Unsupported() }
    }

    /// Reads an object: `member` reads the value of each key (given as its bytes, see `key(_:is:)`).
    mutating func object(_ member: (inout JSONScanner, Range<Int>) throws(Unsupported) -> Void) throws(Unsupported) {
        try expect(UInt8(ascii: "{"))
        guard try !consume(UInt8(ascii: "}")) else { return }
        repeat {
            let name = try key()
            try member(&self, name)
        } while try separator(before: UInt8(ascii: "}"))
    }

    /// Reads an array: `element` reads each element.
    mutating func array(_ element: (inout JSONScanner) throws(Unsupported) -> Void) throws(Unsupported) {
        try expect(UInt8(ascii: "["))
        guard try !consume(UInt8(ascii: "]")) else { return }
        repeat {
            try element(&self)
        } while try separator(before: UInt8(ascii: "]"))
    }

    /// An object key and its colon; the key's bytes, without escapes (a key with one is left to Foundation).
    mutating func key() throws(Unsupported) -> Range<Int> {
        try expect(.quote)
        let start = index
        let end = plainRunEnd(from: start)
        guard end < bytes.count, bytes[end] == .quote else { throw Unsupported() }
        index = end + 1
        try expect(.colon)
        return start..<end
    }

    /// Where the plain run of string bytes from `start` ends: the index of the first quote, backslash
    /// or control character, or `bytes.count`. Eight bytes at a time (keys such as
    /// `binary_data_size` are 16 or more), then byte by byte.
    private func plainRunEnd(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var position = start
        while bytes.count - position >= 8 {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let ends =
                WordBytes.zero(word ^ WordBytes.repeated(.quote)) | WordBytes.zero(word ^ WordBytes.repeated(.backslash))
                | WordBytes.control(word)
            if ends != 0 { return position + ends.trailingZeroBitCount / 8 }
            position += 8
        }
        while position < bytes.count {
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            if byte == .quote || byte == .backslash || byte < 0x20 { return position }
            position += 1
        }
        return position
    }

    /// Whether the key at `range` is `name`.
    func key(_ range: Range<Int>, is name: StaticString) -> Bool {
        range.count == name.utf8CodeUnitCount && bytes[range].elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: range.count))
    }

    /// Consumes `null` if it comes next.
    mutating func consumeNull() throws(Unsupported) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ text: StaticString) throws(Unsupported) {
        let length = text.utf8CodeUnitCount
        guard bytes.count - index >= length, key(index..<index + length, is: text) else { throw Unsupported() }
        index += length
    }

    // MARK: Values

    /// A JSON string, its escapes decoded.
    mutating func string() throws(Unsupported) -> String {
        try expect(.quote)
        let start = index
        index = plainRunEnd(from: start)
        guard index < bytes.count else { throw Unsupported() }
        switch bytes[index] {
        case .quote:
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            index += 1
            return text
        case .backslash:
            return try escapedString(from: start)
        default:
            throw Unsupported()
        }
    }

    private mutating func escapedString(from start: Int) throws(Unsupported) -> String {
        var utf8 = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case .quote:
                return String(decoding: utf8, as: UTF8.self)
            case .backslash:
                guard index < bytes.count else { throw Unsupported() }
                let escape = bytes[index]
                index += 1
                switch escape {
                case .quote, .backslash, UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(.newline)
                case UInt8(ascii: "r"): utf8.append(.carriageReturn)
                case UInt8(ascii: "t"): utf8.append(.tab)
                case UInt8(ascii: "u"): utf8.append(contentsOf: String(try unicodeEscape()).utf8)
                default: throw Unsupported()
                }
            case 0..<0x20:
                throw Unsupported()
            default:
                utf8.append(byte)
            }
        }
        throw Unsupported()
    }

    /// The scalar of a `\uXXXX` escape (the `\u` read), joining a surrogate pair; a lone surrogate is left to Foundation.
    private mutating func unicodeEscape() throws(Unsupported) -> Unicode.Scalar {
        let first = try hexQuad()
        if (0xD800..<0xDC00).contains(first) {
            guard bytes.count - index >= 2, bytes[index] == .backslash, bytes[index + 1] == UInt8(ascii: "u") else { throw Unsupported() }
            index += 2
            let second = try hexQuad()
            guard (0xDC00..<0xE000).contains(second) else { throw Unsupported() }
            guard let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) else { throw Unsupported() }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw Unsupported() }
        return scalar
    }

    private mutating func hexQuad() throws(Unsupported) -> UInt32 {
        guard bytes.count - index >= 4 else { throw Unsupported() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Unsupported()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// `true` or `false`.
    mutating func bool() throws(Unsupported) -> Bool {
        if try peek() == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// A whole number written without fraction or exponent, as `shape` holds them.
    mutating func integer() throws(Unsupported) -> Int {
        var negative = false
        if try peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value = 0
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(digit))
            guard !overflow, !overflow2 else { throw Unsupported() }
            value = sum
            index += 1
        }
        let length = index - start
        guard length > 0, length == 1 || bytes[start] != UInt8(ascii: "0") else { throw Unsupported() }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { throw Unsupported() }
        return negative ? -value : value
    }

    /// A number as a `Double`: the value Foundation reads, correctly rounded.
    ///
    /// Up to 15 significant digits with a power of ten up to 22 are exact in a double, so one
    /// multiplication or division rounds correctly; longer ones to Swift's parser. A number that
    /// overflows or underflows to zero is left to Foundation, which refuses it.
    mutating func number() throws(Unsupported) -> Double {
        let start = index
        var negative = false
        if try peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count else { throw Unsupported() }
        switch bytes[index] {
        case UInt8(ascii: "N") where !negative:
            try literal("NaN")
            return .nan
        case UInt8(ascii: "I"):
            try literal("Infinity")
            return negative ? -.infinity : .infinity
        default:
            break
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var exact = true
        // Integer part: 0, or a digit 1-9 and more digits.
        let integerStart = index
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            accumulate(digit, into: &mantissa, digits: &significantDigits, exact: &exact)
            if !exact { exponent += 1 }
            index += 1
        }
        let integerLength = index - integerStart
        guard integerLength > 0, integerLength == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw Unsupported() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                accumulate(digit, into: &mantissa, digits: &significantDigits, exact: &exact)
                if exact { exponent -= 1 }
                index += 1
            }
            guard index > fractionStart else { throw Unsupported() }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            // Foundation refuses some zeros with an exponent and reads others (`0e9`, `0.00e9` and
            // `-0.0e-9` refused; `0e0`, `0e10`, `0.0e9` and `-0.0e-127` read; found by tools/fuzz.sh),
            // by no rule worth copying: every zero with an exponent is left to it, whatever it answers.
            guard significantDigits > 0 else { throw Unsupported() }
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            var written = 0
            while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                written = min(written * 10 + Int(digit), 100_000)
                index += 1
            }
            guard index > exponentStart else { throw Unsupported() }
            exponent += exponentNegative ? -written : written
        }
        if significantDigits == 0 {
            return negative ? -0.0 : 0  // only zeros, whatever the exponent
        }
        if exact, let value = DecimalText.exactValue(mantissa: mantissa, exponent: exponent, negative: negative) { return value }
        return try parsedByC(start..<index)
    }

    private func accumulate(_ digit: UInt8, into mantissa: inout UInt64, digits: inout Int, exact: inout Bool) {
        guard mantissa != 0 || digit != 0 else { return }  // leading zeros are not significant
        digits += 1
        guard exact, digits <= 19 else {
            exact = false
            return
        }
        mantissa = mantissa * 10 + UInt64(digit)
    }

    /// The rare long number, by Swift's own correctly rounded parser (`strtod`).
    private func parsedByC(_ range: Range<Int>) throws(Unsupported) -> Double {
        guard range.count < 512, let value = Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)),
            value.isFinite, value != 0
        else { throw Unsupported() }
        return value
    }

    /// Any JSON value, for `parameters` and V1 bodies; `depth` counts the containers around it.
    mutating func value(depth: Int = 0) throws(Unsupported) -> JSONValue {
        switch try peek() {
        case .quote:
            return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try bool())
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw Unsupported() }
            var elements: [JSONValue] = []
            try array { scanner throws(Unsupported) in elements.append(try scanner.value(depth: depth + 1)) }
            return .array(elements)
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw Unsupported() }
            index += 1
            var members: [String: JSONValue] = [:]
            guard try !consume(UInt8(ascii: "}")) else { return .object(members) }
            repeat {
                let name = try keyString()
                // Foundation keeps the first of duplicate keys in some places and not in others: its call.
                guard members.updateValue(try value(depth: depth + 1), forKey: name) == nil else { throw Unsupported() }
            } while try separator(before: UInt8(ascii: "}"))
            return .object(members)
        default:
            return .number(try number())
        }
    }

    /// An object key as a string, and its colon.
    private mutating func keyString() throws(Unsupported) -> String {
        let name = try string()
        try expect(.colon)
        return name
    }

    /// Steps over one value of any kind.
    mutating func skipValue() throws(Unsupported) {
        _ = try value()
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let carriageReturn = UInt8(ascii: "\r")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let backslash = UInt8(ascii: "\\")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let comma = UInt8(ascii: ",")
}
