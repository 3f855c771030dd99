/// Word-at-a-time byte tests on eight bytes read little-endian (the first byte lowest), for the
/// request path's scans (`JSONScanner`'s strings, `HTTP1RequestHeadParser`'s field values). Each
/// sets the top bit of the bytes it finds. A byte above a found one may be set wrongly (a borrow
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

    /// Bytes of 0x7F or above: DEL, and every byte with the top bit (a 0xFF's carry lands on a byte
    /// above one that is found anyway).
    @inline(__always)
    static func deleteOrHigh(_ word: UInt64) -> UInt64 {
        (word | (word &+ 0x0101_0101_0101_0101)) & topBits
    }

    /// How many bytes, from the first, are ASCII letters, digits or `-` (the bytes of the field names
    /// clients send): 8 when all are. Exact for every byte: no borrow or carry crosses bytes.
    @inline(__always)
    static func leadingLettersDigitsOrDash(_ word: UInt64) -> Int {
        let low = word & lowSevenBits
        // Setting 0x20 folds capitals onto small letters; of bytes below 0x80, only letters land on them.
        let letters = within(low | repeated(0x20), UInt8(ascii: "a"), UInt8(ascii: "z"))
        let digits = within(low, UInt8(ascii: "0"), UInt8(ascii: "9"))
        let dash = low ^ repeated(UInt8(ascii: "-"))
        let dashes = ~((dash &+ lowSevenBits) | dash) & topBits
        let others = ~(letters | digits | dashes) & topBits | word & topBits
        return others.trailingZeroBitCount / 8
    }

    private static let lowSevenBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// Bytes from `low` through `high`, in a word whose bytes are all below 0x80 (so that no sum
    /// carries into the next byte).
    @inline(__always)
    private static func within(_ word: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        (word &+ repeated(0x80 - low)) & ~(word &+ repeated(0x7F - high)) & topBits
    }
}
