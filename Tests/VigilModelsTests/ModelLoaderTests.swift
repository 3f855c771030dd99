import Foundation
import Testing
import VigilModels

struct ModelLoaderTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func load() throws(ModelError) -> LoadedModel {
        try ModelLoader().load(name: "m", version: 1, directory: folder, modelDirectory: folder)
    }

    static let twoFeatureModel =
        #"{"format":"vigil-linear","kind":"regression","features":["x","y"],"coefficients":[[1,1]],"intercepts":[0]}"#

    @Test func vigilJSONNamesWinOverReferenceAndModel() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "p,q\n1,2\n")
        try write("vigil.json", #"{"features":[{"name":"q","type":"categorical"},"p"]}"#)
        let loaded = try load()
        #expect(loaded.signature.features == [Feature(name: "q", kind: .categorical), Feature(name: "p", kind: .numeric)])
        #expect(loaded.reference?.header == ["q", "p"])
    }

    @Test func referenceKindsAreInferredFromValues() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "colour,size\nred,1.5\nblue,\n")
        let loaded = try load()
        #expect(loaded.signature.features == [Feature(name: "colour", kind: .categorical), Feature(name: "size", kind: .numeric)])
    }

    @Test func ignoredColumnsAreDroppedFromTheReference() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "x,label,y\n1,a,2\n")
        try write("vigil.json", #"{"ignore_columns":["label"]}"#)
        let loaded = try load()
        #expect(loaded.reference?.header == ["x", "y"])
        #expect(loaded.reference?.rows == [["1", "2"]])
    }

    @Test func extraReferenceColumnsKeepTheModelServingAndMonitoredUnderItsOwnNames() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "x,label,y\n1,a,2\n3,b,4\n")
        let loaded = try load()
        #expect(loaded.signature.featureNames == ["x", "y"])
        #expect(loaded.reference?.header == ["x", "y"])
        #expect(loaded.reference?.rows == [["1", "2"], ["3", "4"]])
        #expect(loaded.monitoringIssue == nil)
    }

    @Test func targetAndPredictionColumnsAreNotFeatures() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "target,p,q,prediction\n1,2,3,4\n")
        let loaded = try load()
        #expect(loaded.signature.featureNames == ["p", "q"])
        #expect(loaded.reference?.rows == [["2", "3"]])
    }

    @Test func aReferenceWithoutTheModelsFeaturesServesUnmonitoredWithTheReason() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "a,b,c\n1,2,3\n")
        let loaded = try load()
        #expect(loaded.signature.featureNames == ["x", "y"])
        #expect(loaded.reference == nil)
        let issue = try #require(loaded.monitoringIssue)
        #expect(
            issue.contains("3 columns (a, b, c)") && issue.contains("2 features (x, y)") && issue.contains("ignore_columns"), "\(issue)")
        let prediction = try loaded.model.predict(FeatureBatch(rowCount: 1, featureCount: 2, values: [1, 2]))
        #expect(prediction == .regression(values: [3], targets: 1))
    }

    @Test func anUnreadableReferenceServesUnmonitoredWithTheReason() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "x,y\n1,2,3\n")
        let loaded = try load()
        #expect(loaded.reference == nil)
        #expect(
            loaded.monitoringIssue?.contains("reference.csv cannot be read: CSV line 2 has 3 fields") == true,
            "\(loaded.monitoringIssue ?? "")")
    }

    @Test func aFolderWithoutModelFileNamesTheFilesItLooksFor() {
        do {
            _ = try load()
            Issue.record("expected a load error")
        } catch {
            #expect(error.message.contains("model.onnx") && error.message.contains("model.json"))
        }
    }

    @Test func aModelOnnxThatIsNotONNXIsAClearLoadError() throws {
        try write("model.onnx", "not really onnx")
        do {
            _ = try load()
            Issue.record("expected a load error")
        } catch {
            #expect(error.kind == .invalidModel)
            #expect(error.message.hasPrefix("model.onnx is not a valid ONNX file"), "\(error.message)")
        }
    }

    @Test func brokenVigilJSONIsAnError() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("vigil.json", "{ nope")
        #expect(throws: ModelError.self) { try load() }
    }
}
