/// Why a model could not be loaded or could not predict a batch.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The model file or folder is unreadable or malformed.
        case invalidModel
        /// The model uses a feature of its format that Vigil does not implement.
        case unsupported
        /// The batch does not fit the model.
        case invalidInput
    }

    public let kind: Kind
    public let message: String
    /// The category a strict encoder did not know, for the model to name the input that sent it.
    public let unknownCategory: String?

    public init(_ kind: Kind, _ message: String, unknownCategory: String? = nil) {
        self.kind = kind
        self.message = message
        self.unknownCategory = unknownCategory
    }

    public var description: String { message }
}
