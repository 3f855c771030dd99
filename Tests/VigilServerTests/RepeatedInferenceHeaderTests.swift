import Foundation
import Synchronization
import NIOCore
import Testing
@testable import VigilServer

/// A binary request's JSON header that repeats the last one on a thread is taken from its last
/// reading: what is read equals a fresh reading, each request keeps its own tensors, a change of any
/// byte is read anew, and a header that cannot be read is not kept.
struct RepeatedInferenceHeaderTests {
    private static func header(_ datatype: String = "FP32", id: String = "a") -> String {
        #"{"id":"\#(id)","inputs":[{"name":"input","shape":[1,2],"datatype":"\#(datatype)","parameters":{"binary_data_size":8}}]}"#
    }

    /// The body of `header` followed by `values` as little-endian FP32, and the header's length.
    private static func body(_ header: String, _ values: [Float]) -> (ByteBuffer, String) {
        var buffer = ByteBuffer(string: header)
        for value in values { buffer.writeInteger(value.bitPattern, endianness: .little) }
        return (buffer, String(header.utf8.count))
    }

    private static func read(_ header: String, _ values: [Float]) throws -> InferenceRequest {
        let (buffer, length) = body(header, values)
        return try RequestDecoding.inferenceRequest(buffer, binaryHeader: length)
    }

    @Test func aRepeatedHeaderIsReadAsAtFirstAndEachRequestKeepsItsOwnTensors() throws {
        let first = try Self.read(Self.header(), [1, 2])
        let second = try Self.read(Self.header(), [3, 4])
        let third = try Self.read(Self.header(), [5, 6])
        #expect(first.inputs.map(\.data) == [.numbers([1, 2])])
        #expect(second.inputs.map(\.data) == [.numbers([3, 4])])
        #expect(third.inputs.map(\.data) == [.numbers([5, 6])])
        #expect(second.id == "a" && second.inputs.map(\.name) == ["input"] && second.inputs.map(\.shape) == [[1, 2]])
        #expect(second.inputs.first?.parameters?.binaryDataSize == .number(8))
    }

    @Test func aHeaderThatDiffersInAnyByteIsReadAnew() throws {
        _ = try Self.read(Self.header(id: "a"), [1, 2])
        #expect(try Self.read(Self.header(id: "b"), [1, 2]).id == "b")
        let wider = try Self.read(Self.header("FP64", id: "b"), [1, 2])
        #expect(wider.inputs.map(\.data) == [.numbers([Double(bitPattern: UInt64(Float(2).bitPattern) << 32 | UInt64(Float(1).bitPattern))])])
        #expect(try Self.read(Self.header(id: "b"), [7, 8]).inputs.map(\.data) == [.numbers([7, 8])])
    }

    @Test func aHeaderThatCannotBeReadIsNotKept() throws {
        let broken = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}]"#
        _ = try Self.read(Self.header(), [1, 2])
        for _ in 0..<2 {
            #expect(throws: VigilError.self) { try Self.read(broken, [1, 2]) }
        }
        #expect(try Self.read(Self.header(), [9, 10]).inputs.map(\.data) == [.numbers([9, 10])])
    }

    /// A reading is taken again for its exact bytes, or for input that starts with them; one longer
    /// than the limit is not kept, and a kept one can be forgotten.
    @Test func aLastReadingRepeatsForItsBytesOnly() {
        let last = LastReading<Int>(maximumLength: 4)
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        bytes("ab\r\n").withUnsafeBytes { last.keep(1, readFrom: $0) }
        #expect(bytes("ab\r\n").withUnsafeBytes { last.repeated(in: $0) } == 1)
        #expect(bytes("ab\r\nxy").withUnsafeBytes { last.repeated(in: $0) } == nil)
        #expect(bytes("ab\r\nxy").withUnsafeBytes { last.repeated(atStartOf: $0)?.length } == 4)
        #expect(bytes("ab\r").withUnsafeBytes { last.repeated(atStartOf: $0) } == nil)
        #expect(bytes("aB\r\n").withUnsafeBytes { last.repeated(in: $0) } == nil)
        bytes("abcde").withUnsafeBytes { last.keep(2, readFrom: $0) }
        #expect(bytes("abcde").withUnsafeBytes { last.repeated(in: $0) } == nil)
        #expect(bytes("ab\r\n").withUnsafeBytes { last.repeated(in: $0) } == nil)
        bytes("cd").withUnsafeBytes { last.keep(3, readFrom: $0) }
        #expect(bytes("cd").withUnsafeBytes { last.repeated(in: $0) } == 3)
        last.forget()
        #expect(bytes("cd").withUnsafeBytes { last.repeated(in: $0) } == nil)
    }

    /// Each thread sees what it stored itself, and nothing before it stores.
    @Test func eachThreadHasItsOwnSlot() {
        final class Box { let value: Int; init(_ value: Int) { self.value = value } }
        let slot = ThreadSlot<Box>()
        slot.store(Box(1))
        let seen = Mutex<[Int?]>([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            seen.withLock { $0.append(slot.current?.takeUnretainedValue().value) }
            slot.store(Box(2))
            seen.withLock { $0.append(slot.current?.takeUnretainedValue().value) }
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(seen.withLock { $0 } == [nil, 2])
        #expect(slot.current?.takeUnretainedValue().value == 1)
    }
}
