import HTTPTypes

/// The last plain head a connection sent, as bytes, and the request it was read into. A keep-alive
/// client sends the same head again and again: the same path, the same fields and, for fixed-size
/// bodies such as Triton's binary tensors, the same lengths. A head whose bytes are those of the last
/// one is that same request, since reading a head depends on nothing but its bytes and the
/// connection's limits, so it is taken from here rather than read again: a byte comparison and a
/// reference, not a string and an `HTTPField` for each line. Under callgrind that saved about 7,000
/// instructions per one-row JSON inference request (a head of three lines) and 9,500 per binary one
/// (four lines). One per connection, refilled in place, so that a head that does not repeat (a JSON
/// body of another length) costs a copy of its bytes and no allocation.
final class RepeatedRequestHead {
    /// Heads up to this many bytes are kept; a longer one is read each time.
    static let maximumLength = 2048

    /// The kept head's bytes; empty when none is kept.
    private var bytes: [UInt8] = []
    private var kept: (request: HTTPRequest, bodyLength: Int)?

    /// The request that the head at the front of `input` was read into, with the head's length and
    /// its body's, when the head is byte for byte the kept one. The kept bytes end in the blank line
    /// that ends a head, so matching them means the next head is exactly these bytes.
    func repeated(in input: UnsafeRawBufferPointer) -> (request: HTTPRequest, length: Int, bodyLength: Int)? {
        guard let kept, input.starts(withBytes: bytes) else { return nil }
        return (kept.request, bytes.count, kept.bodyLength)
    }

    /// Keeps the head of the first `length` bytes of `input`, read into `request`, in place of the last.
    func keep(_ input: UnsafeRawBufferPointer, length: Int, request: HTTPRequest, bodyLength: Int) {
        bytes.removeAll(keepingCapacity: true)
        guard length <= Self.maximumLength, length <= input.count else {
            kept = nil
            return
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[..<length]))
        kept = (request, bodyLength)
    }
}
