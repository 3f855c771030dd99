import FoundationEssentials
import Synchronization
public import VigilModels
import VigilStats
public import VigilStore

/// Counts what one model receives and predicts, per window, in memory (SPEC §5).
///
/// The request path calls `record`, which takes a short lock and touches only fixed-size state:
/// bin counts, moments, capped category maps and bounded reservoirs. The writer drains it.
public final class FeatureAccumulator: Sendable {
    public let model: String
    public let profile: ReferenceProfile
    let configuration: FeatureLogConfiguration
    private let columns: [Column]
    private let inputCount: Int
    private let state: Mutex<State>

    struct Column: Sendable {
        let key: ColumnKey
        let kind: FeatureKind
        let bins: QuantileBins?
        let knownCategories: Set<String>
    }

    struct State: Sendable {
        var windows: [Int64: [ColumnWindow]] = [:]
        var payloads: [PayloadSample] = []
        var generator = SplitMix64(seed: UInt64(UInt32.random(in: 0...UInt32.max)))
        var droppedRows: Int64 = 0
    }

    public init(profile: ReferenceProfile, configuration: FeatureLogConfiguration) {
        self.model = profile.model
        self.profile = profile
        self.configuration = configuration
        self.columns = profile.columns.map { column in
            Column(
                key: ColumnKey(model: profile.model, role: column.role, feature: column.name), kind: column.kind,
                bins: column.bins, knownCategories: Set(column.categories.keys))
        }
        self.inputCount = profile.columns.filter { $0.role == .input }.count
        self.state = Mutex(State())
    }

    /// Adds a predicted batch to the window of `time` (seconds since 1970).
    public func record(_ batch: FeatureBatch, prediction: Prediction, signature: ModelSignature, at time: Double) {
        guard batch.featureCount == inputCount else { return }
        let outputs = OutputColumns.values(of: prediction, signature: signature)
        let windowStart = Int64((time / Double(configuration.windowSeconds)).rounded(.down)) * configuration.windowSeconds
        state.withLock { state in
            // Taken out of the dictionary, so the windows are uniquely referenced and mutate in place.
            var windows = state.windows.removeValue(forKey: windowStart) ?? makeWindows()
            for index in 0..<inputCount {
                if let texts = batch.texts[index] {
                    // A text feature counts its category names, spelled as reference.csv cells are.
                    for text in texts { addCategory(text.flatMap(Self.categoryName), to: &windows[index], column: columns[index]) }
                    continue
                }
                for row in 0..<batch.rowCount {
                    add(batch[row, index], to: &windows[index], column: columns[index], generator: &state.generator)
                }
            }
            for (offset, output) in outputs.enumerated() {
                let index = inputCount + offset
                guard index < columns.count else { break }
                if output.kind == .categorical {
                    for label in output.labels { addCategory(label, to: &windows[index], column: columns[index]) }
                } else {
                    for value in output.numbers { add(value, to: &windows[index], column: columns[index], generator: &state.generator) }
                }
            }
            state.windows[windowStart] = windows
            if configuration.payloadRate > 0 {
                samplePayloads(batch, outputs: outputs, time: time, state: &state)
            }
            trimPendingWindows(&state)
        }
    }

    private func makeWindows() -> [ColumnWindow] {
        columns.map { column in
            ColumnWindow(profile: profile.fingerprint, slotCount: column.bins?.slotCount ?? 0, sampleCapacity: configuration.sampleCapacity)
        }
    }

    private func add(_ value: Double, to window: inout ColumnWindow, column: Column, generator: inout SplitMix64) {
        switch column.kind {
        case .numeric: window.add(number: value, bins: column.bins, using: &generator)
        case .categorical: addCategory(value.isNaN ? nil : CategoryName.of(value), to: &window, column: column)
        }
    }

    /// The longest category name kept as sent; a longer one is cut there, so one hostile value cannot fill a window.
    static let maximumCategoryLength = 128

    /// A sent category name as the log counts it: spelled as a reference cell would be, and cut to a bounded length.
    static func categoryName(_ text: String) -> String? {
        guard let name = CategoryName.of(cell: text) else { return nil }
        guard name.utf8.count > maximumCategoryLength else { return name }
        return String(decoding: name.utf8.prefix(maximumCategoryLength), as: UTF8.self)
    }

    private func addCategory(_ name: String?, to window: inout ColumnWindow, column: Column) {
        window.add(category: name, known: column.knownCategories, unseenCap: configuration.unseenCategoryCap)
    }

    private func samplePayloads(_ batch: FeatureBatch, outputs: [OutputColumns.Values], time: Double, state: inout State) {
        for row in 0..<batch.rowCount where Double.random(in: 0..<1, using: &state.generator) < configuration.payloadRate {
            guard state.payloads.count < configuration.maxPendingPayloads else { return }
            var features: [String: PayloadValue] = [:]
            for index in 0..<inputCount {
                if let texts = batch.texts[index] {
                    features[columns[index].key.feature] = texts[row].flatMap(Self.categoryName).map(PayloadValue.text) ?? .null
                    continue
                }
                let value = batch[row, index]
                features[columns[index].key.feature] = value.isFinite ? .number(value) : .null
            }
            var outputValues: [String: PayloadValue] = [:]
            for output in outputs {
                if output.kind == .categorical, row < output.labels.count {
                    outputValues[output.name] = output.labels[row].map(PayloadValue.text) ?? .null
                }
                if output.kind == .numeric, row < output.numbers.count {
                    outputValues[output.name] = output.numbers[row].isFinite ? .number(output.numbers[row]) : .null
                }
            }
            func json(_ object: [String: PayloadValue]) -> String {
                (try? PayloadValue.encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            }
            let featuresJSON = json(features)
            let outputsJSON = json(outputValues)
            state.payloads.append(PayloadSample(model: model, receivedAt: time, features: featuresJSON, outputs: outputsJSON))
        }
    }

    /// Keeps memory bounded while the database is away: the oldest windows go first, and are counted.
    private func trimPendingWindows(_ state: inout State) {
        while state.windows.count > configuration.maxPendingWindows, let oldest = state.windows.keys.min() {
            state.droppedRows += state.windows[oldest].map { Self.rows(in: $0) } ?? 0
            state.windows[oldest] = nil
        }
    }

    /// Takes everything counted since the last drain, leaving the accumulator empty.
    public func drain() -> Drained {
        state.withLock { state in
            var windows: [Int64: [ColumnKey: ColumnWindow]] = [:]
            for (start, columnWindows) in state.windows {
                var keyed: [ColumnKey: ColumnWindow] = [:]
                for (column, window) in zip(columns, columnWindows) { keyed[column.key] = window }
                windows[start] = keyed
            }
            let drained = Drained(windows: windows, payloads: state.payloads, droppedRows: state.droppedRows)
            state.windows = [:]
            state.payloads = []
            state.droppedRows = 0
            return drained
        }
    }

    /// Puts back windows a failed write could not store, merged with anything counted since.
    public func restore(_ drained: Drained) {
        state.withLock { state in
            for (start, keyed) in drained.windows {
                var windows = state.windows.removeValue(forKey: start) ?? makeWindows()
                for (index, column) in columns.enumerated() {
                    if let window = keyed[column.key] { windows[index].merge(window, using: &state.generator) }
                }
                state.windows[start] = windows
            }
            let room = max(configuration.maxPendingPayloads - state.payloads.count, 0)
            state.payloads += drained.payloads.prefix(room)
            state.droppedRows += drained.droppedRows
            trimPendingWindows(&state)
        }
    }

    /// Windows counted in memory and not yet written.
    public var pendingWindowCount: Int { state.withLock { $0.windows.count } }

    /// Rows and windows counted in memory and not yet written.
    public var pending: (rows: Int64, windows: Int) {
        state.withLock { state in (state.windows.values.reduce(0) { $0 + Self.rows(in: $1) }, state.windows.count) }
    }

    /// The rows one window counted: present or missing values of its first column.
    private static func rows(in windows: [ColumnWindow]) -> Int64 {
        windows.first.map { $0.moments.count + $0.moments.missing } ?? 0
    }

    /// What a drain hands the writer.
    public struct Drained: Sendable {
        public var windows: [Int64: [ColumnKey: ColumnWindow]]
        public var payloads: [PayloadSample]
        public var droppedRows: Int64

        public var isEmpty: Bool { windows.isEmpty && payloads.isEmpty }
    }
}

/// One value of a sampled payload row: a number, a category, or null for a missing value.
enum PayloadValue: Encodable {
    case number(Double)
    case text(String)
    case null

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// Made once: sampled rows are encoded under the accumulator's lock.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
