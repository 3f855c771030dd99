extension String {
    /// `String(value)` for a value of 0 or more, such as a header's byte count: its digits written
    /// straight into the string (small up to 15 digits, so never allocated here) rather than through
    /// the generic integer description, which cost about 200 instructions per answer field.
    init(decimal value: Int) {
        precondition(value >= 0, "a decimal count cannot be negative")
        var length = 1
        var rest = value / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        self.init(unsafeUninitializedCapacity: length) { digits in
            var rest = value
            for place in stride(from: length - 1, through: 0, by: -1) {
                digits[place] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return length
        }
    }
}
