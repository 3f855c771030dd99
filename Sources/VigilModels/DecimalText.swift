/// Numbers read from text exactly as `Double(_:)` reads them, with the plain decimals that reference
/// CSV cells hold read directly rather than through the C library's `strtod`: every reference cell
/// is read two or three times at start-up, so this is most of the time to ready.
public enum DecimalText {
    /// `Double(text)`: the same value, and nil for the same texts.
    public static func double(_ text: String) -> Double? {
        var text = text
        if let value = text.withUTF8({ plain(UnsafeRawBufferPointer($0)) }) { return value }
        return Double(text)
    }

    /// The value of a plain decimal: an optional sign, digits with an optional point, and an optional
    /// exponent, whose value `exactValue` gives. Nil for anything else, which may still be a number.
    static func plain(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let count = bytes.count
        var index = 0
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var anyDigit = false
        var exponent = 0
        var inFraction = false
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "."), !inFraction {
                inFraction = true
                index += 1
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            anyDigit = true
            if mantissa != 0 || digit != 0 {
                guard significantDigits < 19 else { return nil }
                mantissa = mantissa * 10 + UInt64(digit)
                significantDigits += 1
            }
            if inFraction { exponent -= 1 }
            index += 1
        }
        guard anyDigit else { return nil }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                guard exponentDigits < 4 else { return nil }
                written = written * 10 + Int(digit)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == count else { return nil }
        return exactValue(mantissa: mantissa, exponent: exponent, negative: negative)
    }

    /// mantissa × 10^exponent, correctly rounded, when one rounding gives it: the digits at most 2^53
    /// and the power of ten from -22 to 22, both exact in a double, so one multiplication or division
    /// rounds correctly, as `strtod` does. Nil otherwise: the caller asks `Double(_:)`. Shared by this
    /// reader and `JSONScanner`.
    @inlinable
    public static func exactValue(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        guard mantissa <= 1 << 53, (-22...22).contains(exponent) else { return nil }
        let value = Double(mantissa)
        let scaled = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
        return negative ? -scaled : scaled
    }

    /// 10^0 through 10^22, each exact in a double.
    @usableFromInline
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
