extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, newlines), as a `String`.
    ///
    /// Vigil imports `FoundationEssentials`, which has no `trimmingCharacters(in:)`.
    @inlinable
    public func trimmingWhitespace() -> String {
        // Most cells need nothing trimmed: printable ASCII at both ends is never whitespace.
        if let first = first?.asciiValue, let last = last?.asciiValue, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return String(self)
        }
        return trimming { $0.isWhitespace }
    }

    /// The text without the leading and trailing characters for which `isTrimmed` holds.
    @inlinable
    public func trimming(while isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
