extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, newlines), as a `String`.
    ///
    /// Vigil imports `FoundationEssentials`, which has no `trimmingCharacters(in:)`.
    public func trimmingWhitespace() -> String {
        trimming { $0.isWhitespace }
    }

    /// The text without the leading and trailing characters for which `isTrimmed` holds.
    public func trimming(while isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
