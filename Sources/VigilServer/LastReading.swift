/// The last bytes read into a value, and that value, so that a byte-for-byte repeat of them is
/// taken from here rather than read again: for readings that depend on nothing but their bytes
/// (a request head, the JSON header of a binary inference request). Refilled in place, so a
/// reading that does not repeat costs a copy of its bytes and no allocation. Not thread-safe: one
/// per connection, or per thread.
final class LastReading<Value> {
    /// Readings of more bytes than this are not kept.
    let maximumLength: Int
    private var bytes: [UInt8] = []
    private var value: Value?

    init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    /// The kept value and how many bytes it was read from, when `input` starts with those bytes.
    func repeated(atStartOf input: UnsafeRawBufferPointer) -> (value: Value, length: Int)? {
        guard let value, input.starts(withBytes: bytes) else { return nil }
        return (value, bytes.count)
    }

    /// The kept value, when `input` is exactly the bytes it was read from.
    func repeated(in input: UnsafeRawBufferPointer) -> Value? {
        guard input.count == bytes.count else { return nil }
        return repeated(atStartOf: input)?.value
    }

    /// Keeps `value`, read from `input`, in place of the last reading; forgets both when `input` is
    /// longer than `maximumLength`.
    func keep(_ value: Value, readFrom input: UnsafeRawBufferPointer) {
        bytes.removeAll(keepingCapacity: true)
        guard input.count <= maximumLength else {
            self.value = nil
            return
        }
        bytes.append(contentsOf: input)
        self.value = value
    }

    /// Forgets the last reading.
    func forget() {
        value = nil
    }
}
