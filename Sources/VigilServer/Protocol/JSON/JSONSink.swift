import NIOCore

/// Where the JSON writers (`JSONSink+writing.swift`) put their bytes.
protocol JSONSink {
    /// How many bytes have been written so far.
    var writtenCount: Int { get }
    mutating func writeByte(_ byte: UInt8)
    mutating func writeRaw(_ bytes: UnsafeRawBufferPointer)
}

extension JSONSink {
    mutating func writeText(_ text: StaticString) {
        text.withUTF8Buffer { writeRaw(UnsafeRawBufferPointer($0)) }
    }

    /// `value`'s bytes, least significant first.
    mutating func writeLittleEndian(_ value: some FixedWidthInteger) {
        withUnsafeBytes(of: value.littleEndian) { writeRaw($0) }
    }
}

extension ByteBuffer: JSONSink {
    var writtenCount: Int { writerIndex }

    mutating func writeByte(_ byte: UInt8) {
        writeInteger(byte)
    }

    mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        writeBytes(bytes)
    }
}

/// Bytes written into memory a `ByteBuffer` reserved, with one capacity check each instead of the
/// buffer's own bookkeeping per write: an answer of a few hundred bytes is some thirty writes, and
/// through `ByteBuffer` each costs a uniqueness, capacity and exclusivity check.
///
/// Writing past the reservation writes nothing and sets `overflowed`, and `ByteBuffer.writeReserved`
/// then discards the whole attempt, so a reservation that was too small costs time, never memory safety.
struct ReservedBytes: JSONSink {
    private let start: UnsafeMutableRawPointer?
    private let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    var writtenCount: Int { count }

    init(_ memory: UnsafeMutableRawBufferPointer) {
        start = memory.baseAddress
        capacity = memory.count
    }

    mutating func writeByte(_ byte: UInt8) {
        guard let start, count < capacity else {
            overflowed = true
            return
        }
        start.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        guard let start, bytes.count <= capacity - count else {
            overflowed = true
            return
        }
        (start + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }
}

extension ByteBuffer {
    /// Runs `write` over `capacity` bytes reserved at the writer index and keeps what it wrote.
    /// Returns false, with the buffer as it was, when `write` needed more than `capacity`.
    mutating func writeReserved(capacity: Int, _ write: (inout ReservedBytes) -> Void) -> Bool {
        var fitted = true
        writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { memory in
            var reserved = ReservedBytes(memory)
            write(&reserved)
            fitted = !reserved.overflowed
            return fitted ? reserved.count : 0
        }
        return fitted
    }
}
