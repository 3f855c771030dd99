import Glibc

extension UnsafeRawBufferPointer {
    /// Whether these bytes are `literal`'s, compared by length and then with `memcmp`.
    func isBytewise(_ literal: StaticString) -> Bool {
        precondition(literal.hasPointerRepresentation, "a literal of text")
        guard count == literal.utf8CodeUnitCount else { return false }
        guard let baseAddress else { return true }
        return memcmp(baseAddress, literal.utf8Start, count) == 0
    }

    /// Whether these bytes begin with `prefix`, compared with `memcmp`.
    func starts(withBytes prefix: [UInt8]) -> Bool {
        guard count >= prefix.count else { return false }
        return prefix.withUnsafeBytes { prefix in
            guard let baseAddress, let prefixAddress = prefix.baseAddress else { return true }
            return memcmp(baseAddress, prefixAddress, prefix.count) == 0
        }
    }

    /// Whether these bytes are `literal`'s, ignoring ASCII case; `literal` is lowercase.
    func isBytewiseIgnoringASCIICase(_ literal: StaticString) -> Bool {
        precondition(literal.hasPointerRepresentation, "a literal of text")
        guard count == literal.utf8CodeUnitCount else { return false }
        for index in 0..<count {
            let byte = self[index], expected = literal.utf8Start[index]
            guard byte == expected || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) && byte | 0x20 == expected else { return false }
        }
        return true
    }
}

extension String {
    /// Whether this string's UTF-8 bytes are `literal`'s, compared by length and then with `memcmp`.
    /// For the request path's exact matches against a literal (a content type as clients send it):
    /// `==` between two long strings goes through Unicode-aware comparison, about a hundred
    /// instructions even when the lengths differ.
    func isBytewise(_ literal: StaticString) -> Bool {
        guard utf8.count == literal.utf8CodeUnitCount else { return false }
        var text = self
        return text.withUTF8 { UnsafeRawBufferPointer($0).isBytewise(literal) }
    }

    /// Whether this string's UTF-8 bytes are `literal`'s, ignoring ASCII case; `literal` is lowercase.
    func isBytewiseIgnoringASCIICase(_ literal: StaticString) -> Bool {
        guard utf8.count == literal.utf8CodeUnitCount else { return false }
        var text = self
        return text.withUTF8 { UnsafeRawBufferPointer($0).isBytewiseIgnoringASCIICase(literal) }
    }
}
