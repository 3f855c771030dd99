import NIOCore
import Testing

@testable import VigilServer

/// Each numeric datatype of Triton's binary form, read back from the little-endian bytes NIO writes.
struct BinaryElementDecodingTests {
    /// `values` written as `Element`s in little-endian order, decoded as `datatype`.
    private static func decoded<Element: FixedWidthInteger>(_ values: [Element], as datatype: String) throws -> TensorData {
        var bytes = ByteBuffer()
        for value in values { bytes.writeInteger(value, endianness: .little) }
        return try bytes.withUnsafeReadableBytes { try BinaryTensorData.decode($0, name: "input", datatype: datatype) }
    }

    @Test func everyIntegerDatatypeKeepsItsSignAndRange() throws {
        #expect(try Self.decoded([UInt8(0), 7, 255], as: "UINT8") == .numbers([0, 7, 255]))
        #expect(try Self.decoded([UInt16(1), 65_535], as: "UINT16") == .numbers([1, 65_535]))
        #expect(try Self.decoded([UInt32(3), 4_294_967_295], as: "UINT32") == .numbers([3, 4_294_967_295]))
        #expect(try Self.decoded([UInt64(5), 1 << 40], as: "UINT64") == .numbers([5, 1_099_511_627_776]))
        #expect(try Self.decoded([Int8(-128), 127], as: "INT8") == .numbers([-128, 127]))
        #expect(try Self.decoded([Int16(-300), 300], as: "INT16") == .numbers([-300, 300]))
        #expect(try Self.decoded([Int32(-70_000), 70_000], as: "INT32") == .numbers([-70_000, 70_000]))
        #expect(try Self.decoded([Int64(-5_000_000_000), 2], as: "INT64") == .numbers([-5_000_000_000, 2]))
    }

    @Test func floatingPointDatatypesAreReadFromTheirBitPatterns() throws {
        #expect(try Self.decoded([Float16(1.5).bitPattern, Float16(-0.25).bitPattern], as: "FP16") == .numbers([1.5, -0.25]))
        #expect(try Self.decoded([Float(5.1).bitPattern, Float(-3.5).bitPattern], as: "FP32") == .numbers([Double(Float(5.1)), -3.5]))
        #expect(try Self.decoded([(0.1).bitPattern, (-1e300).bitPattern], as: "FP64") == .numbers([0.1, -1e300]))
        #expect(try Self.decoded([UInt32](), as: "FP32") == .numbers([]))
    }

    @Test func elementsStartWhereTheSliceStartsNotWhereItsStorageDoes() throws {
        var body = ByteBuffer()
        body.writeInteger(UInt8(9))
        body.writeInteger(Float(2.5).bitPattern, endianness: .little)
        let slice = try #require(body.getSlice(at: 1, length: 4))
        #expect(try slice.withUnsafeReadableBytes { try BinaryTensorData.decode($0, name: "input", datatype: "FP32") } == .numbers([2.5]))
    }
}
