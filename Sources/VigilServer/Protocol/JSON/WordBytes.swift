/// Word-at-a-time byte tests on eight bytes read little-endian (the first byte lowest), for
/// `JSONScanner`'s string scans. Each sets the top bit of the bytes it finds. A byte above a found one may be set wrongly (a borrow
/// carries up), so only the lowest set bit is exact, and only it, or whether any is set, may be used.
enum WordBytes {
    static let topBits: UInt64 = 0x8080_8080_8080_8080

    /// Eight copies of `byte`, to find it with `zero(word ^ repeated(byte))`.
    @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// Bytes that are zero.
    @inline(__always)
    static func zero(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & topBits
    }

    /// Bytes below 0x20, the control characters.
    @inline(__always)
    static func control(_ word: UInt64) -> UInt64 {
        (word &- 0x2020_2020_2020_2020) & ~word & topBits
    }
}
