import Foundation
import Testing
import VigilModels
import VigilStats

@testable import VigilStore

/// Fingerprints key every stored window and profile, so `ProfileJSONWriter` must write what
/// `JSONEncoder` wrote before it, byte for byte, on real profiles and on hostile ones.
struct ProfileJSONWriterTests {
    /// JSONEncoder's bytes for `profile`, as fingerprints and stored profiles were made until `ProfileJSONWriter`.
    static func encoderBytes(_ profile: ReferenceProfile) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(profile))
    }

    /// FNV-1a over JSONEncoder's bytes with an empty fingerprint field.
    static func encoderFingerprint(_ profile: ReferenceProfile) throws -> String {
        var copy = profile
        copy.fingerprint = ""
        return String(ContentHash.fnv1a(try encoderBytes(copy)), radix: 16)
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyBundledModelKeepsTheFingerprintAndStoredBytesJSONEncoderGave() throws {
        let models = Self.repositoryRoot.appendingPathComponent("models")
        var checked: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: models.path).sorted() {
            let folder = models.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("reference.csv").path) else { continue }
            let loaded = try ModelLoader().load(name: name, version: 1, directory: folder, modelDirectory: folder)
            let profile = try #require(ReferenceProfile.build(from: loaded))
            #expect(profile.columns.contains { !$0.sample.isEmpty }, "\(name) has no numeric column")
            #expect(profile.fingerprint == (try Self.encoderFingerprint(profile)), "\(name)")
            #expect(profile.jsonBytes() == (try Self.encoderBytes(profile)), "\(name)")
            #expect(try JSONDecoder.profiles.decode(ReferenceProfile.self, from: Data(profile.jsonBytes())) == profile, "\(name)")
            checked.append(name)
        }
        #expect(checked.count >= 7, "\(checked)")
    }

    /// Names and categories with every byte JSON escapes (quote, backslash, slash, control bytes),
    /// non-ASCII text, an empty key, and numbers at every edge of Swift's shortest spelling.
    @Test func hostileNamesAndExtremeNumbersAreWrittenAsJSONEncoderWritesThem() throws {
        var generator = SplitMix64(seed: 42)
        let pieces = [
            "a", "Z", "/", "\\", "\"", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{a}", "\u{c}", "\u{d}", "\u{1f}", "\u{7f}",
            "é", "日本", "🙂", " ", "<script>", "0", "10", "2", "", "\u{2028}",
        ]
        let extremes: [Double] = [
            0, -0.0, 1, -1, 0.1, 1e15, 1e16, -1e16, 123_456_789_012_345_680_000, 5e-324, -5e-324, 2.2250738585072014e-308,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 9_007_199_254_740_993, 1e-7, 1e21, 1e22, 0.5,
            .infinity, -.infinity, .nan, 3.0000000000000004, 100, 1e300,
        ]
        func text() -> String {
            (0..<Int(generator.next() % 5)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
        func number() -> Double {
            switch generator.next() % 3 {
            case 0: return extremes[Int(generator.next() % UInt64(extremes.count))]
            case 1: return Double(bitPattern: generator.next())
            default: return Double(Int64(bitPattern: generator.next()) % 100_000) / 1000
            }
        }
        for round in 0..<200 {
            var columns: [ColumnProfile] = []
            for _ in 0..<Int(generator.next() % 4) {
                var column = ColumnProfile(
                    name: text(), role: generator.next() % 2 == 0 ? .input : .output,
                    kind: generator.next() % 2 == 0 ? .numeric : .categorical, critical: generator.next() % 2 == 0)
                column.moments = NumericMoments()
                if generator.next() % 4 > 0 {
                    column.moments.count = Int64(generator.next() % 1000)
                    column.moments.missing = Int64(generator.next() % 10)
                    column.moments.minimum = number()
                    column.moments.maximum = number()
                    column.moments.sum = number()
                    column.moments.sumOfSquares = number()
                }
                if generator.next() % 2 == 0 {
                    column.bins = QuantileBins(edges: (0..<(2 + Int(generator.next() % 4))).map { _ in number() })
                }
                column.binCounts = (0..<Int(generator.next() % 6)).map { _ in number() }
                for _ in 0..<Int(generator.next() % 6) {
                    column.categories[text()] = Int64(bitPattern: generator.next()) >> Int(generator.next() % 64)
                }
                column.sample = (0..<Int(generator.next() % 40)).map { _ in number() }
                columns.append(column)
            }
            let profile = ReferenceProfile(
                model: text(), version: Int(generator.next() % 5) - 1, rowCount: Int(generator.next() % 100_000),
                columns: columns, fingerprint: text())
            #expect(profile.contentHash() == (try Self.encoderFingerprint(profile)), "round \(round)")
            #expect(profile.jsonBytes() == (try Self.encoderBytes(profile)), "round \(round)")
        }
    }

    /// The published FNV-1a 64-bit test vectors, so the hash under both sides of these tests is the real one.
    @Test func contentHashIsFNV1a() {
        #expect(ContentHash.fnv1a([UInt8]()) == 0xcbf2_9ce4_8422_2325)
        #expect(ContentHash.fnv1a("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(ContentHash.fnv1a("foobar".utf8) == 0x8594_4171_f739_67e8)
        #expect(ContentHash.hex("a".utf8) == "af63dc4c8601ec8c")
    }

    @Test func theFingerprintFieldItselfIsNotHashed() {
        var profile = ReferenceProfile(
            model: "m", version: 1, rowCount: 3, columns: [ColumnProfile(name: "x", role: .input, kind: .numeric)],
            fingerprint: "one")
        let first = profile.contentHash()
        profile.fingerprint = "two"
        #expect(profile.contentHash() == first)
        profile.rowCount = 4
        #expect(profile.contentHash() != first)
    }
}
