/// FNV-1a, 64 bits: a fast, stable hash of bytes for fingerprints and entity tags (not for secrets).
public enum ContentHash {
    /// The hash fed a byte at a time, for bytes that are never kept together
    /// (`ProfileJSONWriter` hashes a profile's JSON as it writes it).
    public struct FNV1a: Sendable {
        public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        public init() {}

        @inline(__always)
        public mutating func add(_ byte: UInt8) {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
        }
    }

    public static func fnv1a<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = FNV1a()
        for byte in bytes { hash.add(byte) }
        return hash.value
    }

    /// The hash as 16 lowercase hex digits.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let text = String(fnv1a(bytes), radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
