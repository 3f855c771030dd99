import Glibc

extension String {
    /// Whether this string's UTF-8 bytes are `literal`'s, compared by length and then with `memcmp`.
    /// For the request path's exact matches against a literal (a content type as clients send it):
    /// `==` between two long strings goes through Unicode-aware comparison, about a hundred
    /// instructions even when the lengths differ.
    func isBytewise(_ literal: StaticString) -> Bool {
        guard literal.hasPointerRepresentation else { return self == literal.description }
        guard utf8.count == literal.utf8CodeUnitCount else { return false }
        var text = self
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return literal.utf8CodeUnitCount == 0 }
            return memcmp(base, literal.utf8Start, bytes.count) == 0
        }
    }
}
