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

    static let twoFeatureModel = #"{"format":"vigil-linear","kind":"regression","features":["x","y"],"coefficients":[[1,1]],"intercepts":[0]}"#

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

    @Test func extraReferenceColumnsAreAnErrorThatSaysWhatToDo() throws {
        try write("model.json", Self.twoFeatureModel)
        try write("reference.csv", "x,label,y\n1,a,2\n")
        do {
            _ = try load()
            Issue.record("expected a load error")
        } catch {
            #expect(error.message.contains("takes 2 features but 3 columns") && error.message.contains("ignore_columns"))
        }
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
