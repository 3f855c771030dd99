import HTTPTypes

/// The last plain head a connection sent, as bytes, and the request it was read into. A keep-alive
/// client sends the same head again and again: the same path, the same fields and, for fixed-size
/// bodies such as Triton's binary tensors, the same lengths. A head whose bytes are those of the last
/// one is that same request, since reading a head depends on nothing but its bytes and the
/// connection's limits, so it is taken from here rather than read again: a byte comparison and a
/// reference, not a string and an `HTTPField` for each line. Under callgrind that saved about 7,000
/// instructions per one-row JSON inference request (a head of three lines) and 9,500 per binary one
/// (four lines). A class, so that taking it out of the codec is one reference count, not one for
/// each of its parts.
final class RepeatedRequestHead {
    /// Heads up to this many bytes are kept; a longer one is read each time.
    static let maximumLength = 2048

    private let bytes: [UInt8]
    let request: HTTPRequest
    let bodyLength: Int

    /// The head read from the first `length` bytes of `input`, or nil when it is too long to keep.
    init?(_ input: UnsafeRawBufferPointer, length: Int, request: HTTPRequest, bodyLength: Int) {
        guard length <= Self.maximumLength, length <= input.count else { return nil }
        bytes = Array(UnsafeRawBufferPointer(rebasing: input[..<length]))
        self.request = request
        self.bodyLength = bodyLength
    }

    /// How many bytes the head has.
    var length: Int { bytes.count }

    /// Whether `input` starts with this head. Its bytes end in the blank line that ends a head, so
    /// matching them means the next head is exactly these bytes.
    func starts(_ input: UnsafeRawBufferPointer) -> Bool {
        input.starts(withBytes: bytes)
    }
}
