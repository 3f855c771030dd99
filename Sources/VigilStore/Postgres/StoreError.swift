/// A failed call to a shared store (PostgreSQL): what went wrong, in words an operator can act on.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The `--store` address cannot be read.
        case badAddress
        /// The server cannot be reached, or the connection to it was lost.
        case unreachable
        /// The server did not answer in time.
        case timeout
        /// The server answered with an error.
        case rejected
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
