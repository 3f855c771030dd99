extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, newlines), as a `String`.
    ///
    /// Vigil imports `FoundationEssentials`, which has no `trimmingCharacters(in:)`.
    @inlinable
    public func trimmingWhitespace() -> String {
        // Most cells need nothing trimmed: printable ASCII at both ends is never whitespace. Read
        // as UTF-8 bytes: `first` and `last` as Characters cost a grapheme break each, and every
        // reference cell is read through here at start-up. A
        // printable ASCII byte at the end is a Character's last scalar only after a base that is
        // not whitespace (a cluster never joins whitespace to a following ASCII letter).
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return text
        }
        return text.trimming { $0.isWhitespace }
    }

    /// The text without the leading and trailing characters for which `isTrimmed` holds.
    @inlinable
    public func trimming(while isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
