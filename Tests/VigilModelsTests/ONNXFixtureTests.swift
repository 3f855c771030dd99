import CFloatKernels
import Foundation
import Testing

@testable import VigilModels

/// Every ONNX fixture (tools/fixtures/onnx_cases.py: skl2onnx exports and a hand-built opset-5
/// TreeEnsemble) gives onnxruntime's outputs.
struct ONNXFixtureTests {
    enum Label: Decodable, Equatable, CustomStringConvertible {
        case integer(Int64)
        case string(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int64.self) {
                self = .integer(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        var description: String {
            switch self {
            case .integer(let value): String(value)
            case .string(let value): value
            }
        }
    }

    struct Expected: Decodable {
        var rows: [[Double?]]
        var input_type: String
        var operators: [String]
        var classes: [Label]?
        var label: [Label]?
        var probabilities: [[Double]]?
        var predictions: [[Double]]?
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/onnx")
    static let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()

    static func expected(_ name: String) throws -> Expected {
        try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent("expected.json")))
    }

    static func modelBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent("model.onnx")))
    }

    @Test func everyEstimatorOfTheIssueHasAFixture() {
        #expect(
            Self.names == [
                "column-transformer-onehot-ridge", "decision-tree-classifier", "decision-tree-regressor", "gradient-boosting-binary",
                "gradient-boosting-multiclass", "gradient-boosting-regressor", "hist-gradient-boosting-classifier",
                "hist-gradient-boosting-regressor", "linear-regression", "logistic-binary", "logistic-multiclass", "logistic-string-labels",
                "mlp-classifier", "mlp-regressor", "one-hot-unknown-is-error", "per-column-inputs", "pipeline-imputer-scaler-logistic",
                "random-forest-classifier", "random-forest-regressor",
                "ridge-double", "tree-ensemble-v5",
            ])
    }

    @Test(arguments: names)
    func matchesOnnxruntime(name: String) throws {
        let expected = try Self.expected(name)
        let directory = Self.root.appendingPathComponent(name)
        let loaded = try ModelLoader().load(name: name, version: 1, directory: directory, modelDirectory: directory)
        #expect(loaded.format == .onnx)
        let model = try #require(loaded.model as? ONNXModel)
        #expect(Set(model.operators) == Set(expected.operators), "\(name) operators")
        #expect(model.signature.inputDatatype == (expected.input_type == "double" ? .fp64 : .fp32))

        let width = expected.rows[0].count
        let batch = FeatureBatch(
            rowCount: expected.rows.count, featureCount: width, values: expected.rows.flatMap { $0.map { $0 ?? .nan } })
        switch try model.predict(batch) {
        case .classification(let labels, let probabilities, let classCount):
            guard case .classification(let classes) = model.signature.task else {
                Issue.record("\(name): task")
                return
            }
            let names: [Label] =
                switch classes {
                case .integers(let values): values.map { .integer($0) }
                case .strings(let values): values.map { .string($0) }
                }
            if let wanted = expected.classes { #expect(names == wanted, "\(name) classes") }
            let wantedProbabilities = try #require(expected.probabilities)
            #expect(probabilities.count == wantedProbabilities.count * classCount)
            for (row, values) in wantedProbabilities.enumerated() {
                for (column, value) in values.enumerated() {
                    #expect(
                        abs(probabilities[row * classCount + column] - value) <= 1e-5,
                        "\(name) row \(row) class \(column): \(probabilities[row * classCount + column]) vs \(value)")
                }
            }
            let wantedLabels = try #require(expected.label)
            #expect(labels.map { names[$0] } == wantedLabels, "\(name) labels")
        case .regression(let values, let targets):
            let wanted = try #require(expected.predictions)
            #expect(targets == wanted[0].count)
            #expect(values.count == wanted.count * targets)
            for (index, reference) in wanted.flatMap({ $0 }).enumerated() {
                #expect(abs(values[index] - reference) <= 1e-5, "\(name) value \(index): \(values[index]) vs \(reference)")
            }
        }
    }

    @Test func zipMapAndStringLabelsKeepTheClassNames() throws {
        let model = try ONNXModel.parse(bytes: try Self.modelBytes("logistic-string-labels"), features: nil)
        #expect(model.signature.task == .classification(classes: .strings(["setosa", "versicolor", "virginica"])))
        #expect(model.signature.outputs.map(\.name) == ["label", "probabilities"])
        #expect(model.signature.featureNames == ["f0", "f1", "f2", "f3"])
    }

    @Test func aGraphWithAnInputPerColumnNamesItsFeaturesAfterThem() throws {
        let model = try ONNXModel.parse(bytes: try Self.modelBytes("per-column-inputs"), features: nil)
        #expect(model.signature.featureNames == ["age", "bmi", "bp", "s6_band"])
        #expect(model.graphInputs.map(\.width) == [1, 1, 1, 1])
        // The V2 side still sees one [batch, 4] tensor.
        #expect(model.signature.inputs.map(\.shape) == [[-1, 4]])
    }

    @Test func mlpClassesComeFromTheLabelLookupTable() throws {
        let model = try ONNXModel.parse(bytes: try Self.modelBytes("mlp-classifier"), features: nil)
        #expect(model.signature.task == .classification(classes: .integers(Array(0...9))))
    }

    @Test func anUnsupportedOperatorNamesTheOperatorAndTheNode() throws {
        // Renaming "Relu" to "Relx" in the file keeps the protobuf valid: same length.
        var bytes = try Self.modelBytes("mlp-regressor")
        let relu = Array("Relu".utf8)
        var renamed = 0
        for index in 0...(bytes.count - relu.count) where Array(bytes[index..<(index + relu.count)]) == relu {
            bytes[index + 3] = UInt8(ascii: "x")
            renamed += 1
        }
        #expect(renamed > 0)
        do {
            _ = try ONNXModel.parse(bytes: bytes, features: nil)
            Issue.record("expected an unsupported-operator error")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.message.contains("ai.onnx:Relx"), "\(error.message)")
            #expect(error.message.contains("Relx node"), "\(error.message)")
        }
    }

    @Test(arguments: [0.5, 0.9])
    func aTruncatedFileIsAClearLoadError(fraction: Double) throws {
        let bytes = try Self.modelBytes("random-forest-regressor")
        do {
            _ = try ONNXModel.parse(bytes: Array(bytes.prefix(Int(Double(bytes.count) * fraction))), features: nil)
            Issue.record("expected a load error")
        } catch {
            #expect(error.kind == .invalidModel)
            #expect(error.message.contains("model.onnx"), "\(error.message)")
        }
    }

    @Test func aFileThatIsNotONNXIsAClearLoadError() throws {
        for bytes in [Array("{\"not\": \"onnx\"}".utf8), [], Array(repeating: 0xFF, count: 64)] {
            #expect(throws: ModelError.self) { try ONNXModel.parse(bytes: bytes, features: nil) }
        }
    }

    @Test func featureNamesFromTheConfigurationAreKept() throws {
        let features = (0..<10).map { Feature(name: "c\($0)", kind: .numeric) }
        let model = try ONNXModel.parse(bytes: try Self.modelBytes("linear-regression"), features: features)
        #expect(model.signature.featureNames == features.map(\.name))
        #expect(throws: ModelError.self) {
            try ONNXModel.parse(bytes: try Self.modelBytes("linear-regression"), features: Array(features.prefix(3)))
        }
    }

    @Test func aStrictOneHotEncoderLoadsFromDeclaredShapesAndRejectsUnknownCategories() throws {
        // zeros=0 over categories 1, 2, 3: the load-time probe row of zeros fails, the declared [N, 6] output is used.
        let model = try ONNXModel.parse(bytes: try Self.modelBytes("one-hot-unknown-is-error"), features: nil)
        #expect(model.signature.task == .regression(targets: 6))
        do {
            _ = try model.predict(FeatureBatch(rowCount: 2, featureCount: 2, values: [1, 2, 3, 7]))
            Issue.record("expected an unknown-category error")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("OneHotEncoder") && error.message.contains("unknown category 7"), "\(error.message)")
        }
    }

    @Test func aWrongWidthBatchIsAnInputError() throws {
        let model = try ONNXModel.parse(bytes: try Self.modelBytes("logistic-multiclass"), features: nil)
        do {
            _ = try model.predict(FeatureBatch(rowCount: 1, featureCount: 3, values: [1, 2, 3]))
            Issue.record("expected an input error")
        } catch {
            #expect(error.kind == .invalidInput)
        }
    }

    @Test func aGzippedModelLoads() throws {
        let source = Self.root.appendingPathComponent("gradient-boosting-regressor")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-onnx-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: source.appendingPathComponent("model.onnx"), to: folder.appendingPathComponent("model.onnx"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", folder.appendingPathComponent("model.onnx").path]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.onnx.gz").path))
        let loaded = try ModelLoader().load(name: "gz", version: 1, directory: folder, modelDirectory: folder)
        let expected = try Self.expected("gradient-boosting-regressor")
        let row = expected.rows[0].map { $0 ?? .nan }
        guard case .regression(let values, _) = try loaded.model.predict(FeatureBatch(rowCount: 1, featureCount: row.count, values: row))
        else {
            Issue.record("expected a regression")
            return
        }
        #expect(abs(values[0] - (expected.predictions?[0][0] ?? .nan)) <= 1e-5)
    }
}

/// Batches of trees take the vector walk (blocks of 32 rows, AVX2 gathers); single rows take
/// the scalar walk, which the fixtures check against onnxruntime and xgboost. Both must give the same bits.
struct TreeVectorWalkTests {
    /// Fixture folders under Tests/VigilModelsTests/Fixtures: ONNX tree operators, and XGBoost's numeric trees.
    static let treeFixtures = [
        "onnx/random-forest-regressor", "onnx/random-forest-classifier", "onnx/hist-gradient-boosting-regressor",
        "onnx/hist-gradient-boosting-classifier", "onnx/decision-tree-regressor", "onnx/gradient-boosting-multiclass",
        "xgboost/binary-logistic", "xgboost/multi-softprob", "xgboost/reg-squarederror",
    ]

    struct Probe: Decodable { var rows: [[Double?]] }

    @Test(arguments: treeFixtures)
    func batchWalkGivesTheBitsOfSingleRows(name: String) throws {
        let directory = ONNXFixtureTests.root.deletingLastPathComponent().appendingPathComponent(name)
        let expected = try JSONDecoder().decode(Probe.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        let model = try ModelLoader().load(name: "trees", version: 1, directory: directory, modelDirectory: directory).model
        let probe = expected.rows.map { $0.map { $0 ?? .nan } }
        let width = probe[0].count
        // 203 rows (six blocks of 32 and a short one), each cell from a probe row chosen by an LCG,
        // and one cell in seven missing, so every tree goes down paths the probe rows never take.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var values: [Double] = []
        for _ in 0..<203 {
            for column in 0..<width {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pick = Int((state >> 33) % UInt64(probe.count))
                values.append((state >> 20) % 7 == 0 ? .nan : probe[pick][column])
            }
        }
        let batch = try model.predict(FeatureBatch(rowCount: 203, featureCount: width, values: values))
        for row in 0..<203 {
            let single = try model.predict(
                FeatureBatch(rowCount: 1, featureCount: width, values: Array(values[row * width..<(row + 1) * width])))
            switch (batch, single) {
            case (.regression(let all, let targets), .regression(let one, _)):
                #expect(all[row * targets..<(row + 1) * targets].map(\.bitPattern) == one.map(\.bitPattern), "\(name) row \(row)")
            case (.classification(let labels, let all, let classes), .classification(let label, let one, _)):
                #expect(labels[row] == label[0], "\(name) row \(row) label")
                #expect(all[row * classes..<(row + 1) * classes].map(\.bitPattern) == one.map(\.bitPattern), "\(name) row \(row)")
            default:
                Issue.record("\(name): the batch and the row gave different kinds of prediction")
            }
        }
    }
}

/// Tree files whose branches share nodes load in time linear in their nodes (measuring them once walked every path).
struct TreeEnsembleShapeTests {
    @Test(.timeLimit(.minutes(1)))
    func sharedBranchesOfSixtyLevelsLoadAndPredict() throws {
        // Node i (0..<60) sends both ways to node i + 1; node 60 is a leaf: 2^60 paths, 61 nodes.
        var nodes: [ONNXTreeEnsemble.Node] = (0..<60).map {
            .init(
                threshold: 0.5, feature: 0, trueChild: Int32($0 + 1), falseChild: Int32($0 + 1), mode: .lessOrEqual,
                missingTracksTrue: false)
        }
        nodes.append(.init(threshold: 0, feature: 0, trueChild: 0, falseChild: 1, mode: .leaf, missingTracksTrue: false))
        let ensemble = try ONNXTreeEnsemble(
            nodes: nodes, roots: [0], weightTargets: [0], weightValues: [2.5], memberSets: [:],
            targetCount: 1, aggregate: .sum, error: { ModelError(.invalidModel, $0) })
        #expect(ensemble.depths == [60])
        let scores = try ensemble.scores(ONNXTensor(shape: [40, 1], floats: (0..<40).map { Float($0) }), as: Float.self).scores
        #expect(scores == [Float](repeating: 2.5, count: 40))
    }

    @Test func aCycleIsRefused() {
        let nodes: [ONNXTreeEnsemble.Node] = [
            .init(threshold: 0.5, feature: 0, trueChild: 1, falseChild: 2, mode: .lessOrEqual, missingTracksTrue: false),
            .init(threshold: 0.5, feature: 0, trueChild: 0, falseChild: 2, mode: .lessOrEqual, missingTracksTrue: false),
            .init(threshold: 0, feature: 0, trueChild: 0, falseChild: 1, mode: .leaf, missingTracksTrue: false),
        ]
        #expect(throws: ModelError.self) {
            try ONNXTreeEnsemble(
                nodes: nodes, roots: [0], weightTargets: [0], weightValues: [1], memberSets: [:],
                targetCount: 1, aggregate: .sum, error: { ModelError(.invalidModel, $0) })
        }
    }
}

/// The float and double matrix kernels do one fused multiply-add per step, whichever path the CPU takes.
struct ONNXFloatKernelTests {
    /// Shapes that cover the kernels' four-row blocks and their remainders, tiles of one, eight, 16
    /// and more columns, and an empty inner dimension.
    static let shapes = [
        (1, 64, 16), (7, 13, 9), (33, 8, 17), (5, 1, 40), (9, 10, 12), (6, 12, 1), (9, 10, 1), (4, 5, 16),
        (4, 5, 8), (13, 3, 33), (13, 3, 4), (8, 0, 3),
    ]

    @Test func floatMatMulIsAFusedMultiplyAddPerStep() {
        Self.checkProducts(seed: 0x9E37_79B9_7F4A_7C15, as: Float.self, multiply: ONNXMatMul.multiply) { a, b, c, m, k, n in
            vigil_sgemm_fma_portable(a, b, c, m, k, n)
        }
    }

    @Test func doubleMatMulIsAFusedMultiplyAddPerStep() {
        Self.checkProducts(seed: 0x2545_F491_4F6C_DD1D, as: Double.self, multiply: ONNXMatMul.multiply) { a, b, c, m, k, n in
            vigil_dgemm_fma_portable(a, b, c, m, k, n)
        }
    }

    /// Every element of `multiply` (the dispatching kernel) and of `portable` against one
    /// `addingProduct` chain over k in order, to the bit, on values drawn by an LCG from `seed`.
    static func checkProducts<T: BinaryFloatingPoint>(
        seed: UInt64, as: T.Type, multiply: ([T], [T], Int, Int, Int) -> [T],
        portable: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Int, Int) -> Void
    ) {
        var state = seed
        func next() -> T {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return T(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 3_333.3
        }
        func bits(_ value: T) -> (FloatingPointSign, T.RawExponent, T.RawSignificand) {
            (value.sign, value.exponentBitPattern, value.significandBitPattern)
        }
        for (m, k, n) in shapes {
            let a = (0..<(m * k)).map { _ in next() }
            let b = (0..<(k * n)).map { _ in next() }
            let product = multiply(a, b, m, k, n)
            var fallback = [T](repeating: .nan, count: m * n)
            portable(a, b, &fallback, m, k, n)
            for i in 0..<m {
                for j in 0..<n {
                    var sum: T = 0
                    for p in 0..<k { sum = sum.addingProduct(a[i * k + p], b[p * n + j]) }
                    #expect(
                        bits(product[i * n + j]) == bits(sum),
                        "[\(m)x\(k)]·[\(k)x\(n)] at \(i),\(j) (AVX2 path: \(vigil_sgemm_uses_avx2()))")
                    #expect(bits(fallback[i * n + j]) == bits(sum), "portable [\(m)x\(k)]·[\(k)x\(n)] at \(i),\(j)")
                }
            }
        }
    }
}
