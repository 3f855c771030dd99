import ArgumentParser
import FoundationEssentials
import VigilModels

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load one model folder, print its signature, and run the first reference rows through it.",
        discussion: "Exits 0 when the model loads and predicts, 2 when it does not."
    )

    @Argument(help: "A model folder (models/<name>) or one of its version folders.")
    var directory: String

    @Option(help: "How many reference rows to run.")
    var rows = 5

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        let versionFolder = Int(folder.lastPathComponent) != nil
        let modelFolder = versionFolder ? folder.deletingLastPathComponent() : folder
        do {
            let loaded = try ModelLoader().load(
                name: modelFolder.lastPathComponent, version: versionFolder ? Int(folder.lastPathComponent) ?? 1 : 1,
                directory: folder, modelDirectory: modelFolder)
            print(Self.describe(loaded))
            guard let reference = loaded.reference, !reference.rows.isEmpty else {
                print("no reference.csv: nothing to run")
                return
            }
            let sample = Array(reference.rows.prefix(max(rows, 1)))
            let prediction = try loaded.model.predict(FeatureBatch(cells: sample, features: loaded.signature.features))
            print("first \(sample.count) reference rows:")
            for (index, row) in sample.enumerated() {
                print("  [\(row.joined(separator: ", "))] -> \(Self.output(prediction, row: index, task: loaded.signature.task))")
            }
        } catch {
            StandardError.write("vigil check: \(error.message)\n")
            throw ExitCode(2)
        }
    }

    static func describe(_ loaded: LoadedModel) -> String {
        let signature = loaded.signature
        var lines = ["model \(loaded.name) version \(loaded.version): \(loaded.format.rawValue) (\(loaded.format.fileName))"]
        lines.append("inputs:")
        for tensor in signature.inputs { lines.append("  \(tensor.name) \(tensor.datatype.rawValue) \(tensor.shape)") }
        lines.append(
            "features: " + signature.features.map { "\($0.name) (\($0.takesText ? "text" : $0.kind.rawValue))" }.joined(separator: ", "))
        for feature in signature.features where feature.takesText {
            let known = feature.categories.isEmpty ? "not named in the model file" : feature.categories.joined(separator: ", ")
            lines.append("  \(feature.name) categories (\(feature.categories.count)): \(known)")
        }
        lines.append("outputs:")
        for tensor in signature.outputs { lines.append("  \(tensor.name) \(tensor.datatype.rawValue) \(tensor.shape)") }
        if let onnx = loaded.model as? ONNXModel {
            var seen = Set<String>()
            let operators = onnx.operators.filter { seen.insert($0).inserted }
            lines.append(
                "onnx: \(onnx.operators.count) nodes, producer \(onnx.producer.isEmpty ? "unknown" : onnx.producer); operators: \(operators.joined(separator: ", "))"
            )
        }
        if case .classification(let classes) = signature.task {
            switch classes {
            case .integers(let values): lines.append("classes: " + values.map(String.init).joined(separator: ", "))
            case .strings(let values): lines.append("classes: " + values.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func output(_ prediction: Prediction, row: Int, task: ModelTask) -> String {
        switch (prediction, task) {
        case (.classification(let labels, let probabilities, let classCount), .classification(let classes)):
            let label: String
            switch classes {
            case .integers(let values): label = String(values[labels[row]])
            case .strings(let values): label = values[labels[row]]
            }
            let shares = (0..<classCount).map { String(printf: "%.4f", probabilities[row * classCount + $0]) }.joined(separator: ", ")
            return "\(label) [\(shares)]"
        case (.regression(let values, let targets), _):
            return (0..<targets).map { String(printf: "%.6g", values[row * targets + $0]) }.joined(separator: ", ")
        default:
            return "?"
        }
    }
}
