/// FNV-1a, 64 bits: a fast, stable hash of bytes for fingerprints and entity tags (not for secrets).
public enum ContentHash {
    public static func fnv1a<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// The hash as 16 lowercase hex digits.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let text = String(fnv1a(bytes), radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
