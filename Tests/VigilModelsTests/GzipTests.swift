import Foundation
import Testing
import VigilModels

struct GzipTests {
    func compress(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { Gzip.compress($0) }
    }

    @Test func compressThenDecompressGivesTheInput() throws {
        let input = Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) })
        let packed = compress(input)
        #expect(Gzip.hasGzipHeader(packed))
        #expect(packed.count < input.count)
        #expect(try Gzip.decompress(packed, limit: input.count) == input)
    }

    @Test func concatenatedMembersInflateToTheConcatenation() throws {
        let joined = compress(Array("hello ".utf8)) + compress(Array("world".utf8))
        #expect(try Gzip.decompress(joined, limit: 100) == Array("hello world".utf8))
    }

    @Test func aBombStopsAtTheLimit() {
        let bomb = compress([UInt8](repeating: 0, count: 50_000_000))
        #expect(bomb.count < 100_000)
        #expect(throws: GzipError.tooLarge(limit: 1_000_000)) { try Gzip.decompress(bomb, limit: 1_000_000) }
    }

    @Test func garbageAndTruncationAreCorrupt() {
        #expect(throws: GzipError.self) { try Gzip.decompress(Array("not gzip".utf8), limit: 100) }
        let packed = compress(Array(repeating: 65, count: 1000))
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(packed.prefix(packed.count / 2)), limit: 10_000) }
    }

    @Test func gzippedModelAndReferenceLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = #"{"format":"vigil-linear","kind":"regression","coefficients":[[2,3]],"intercepts":[1]}"#
        try Data(compress(Array(model.utf8))).write(to: folder.appendingPathComponent("model.json.gz"))
        try Data(compress(Array("a,b\n1,2\n3,4\n".utf8))).write(to: folder.appendingPathComponent("reference.csv.gz"))
        let loaded = try ModelLoader().load(name: "gz", version: 1, directory: folder, modelDirectory: folder)
        #expect(loaded.signature.featureNames == ["a", "b"])
        #expect(loaded.reference?.rows == [["1", "2"], ["3", "4"]])
        #expect(
            try loaded.model.predict(FeatureBatch(rowCount: 1, featureCount: 2, values: [1, 1])) == .regression(values: [6], targets: 1))
    }
}
