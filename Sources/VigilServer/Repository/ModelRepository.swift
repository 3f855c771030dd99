import Dispatch
public import FoundationEssentials
public import Logging
import Synchronization
public import VigilModels
public import VigilMonitor

/// The models served, read from a folder of model folders (SPEC §3).
///
/// A request takes the lock only to copy the entries out, never across a prediction. A load reads
/// its folder outside the lock and swaps the entry whole, so no request sees a half-loaded model.
public final class ModelRepository: Sendable {
    public let directory: URL
    private let loader: ModelLoader
    private let logger: Logger
    private let entries = Mutex<[String: ModelEntry]>([:])
    /// Called with the default version of each model after it loads, before it serves; returns the
    /// accumulator its predictions go to, if it is monitored.
    private let onLoad: @Sendable (LoadedModel) -> FeatureAccumulator?

    public init(
        directory: URL, loader: ModelLoader = ModelLoader(), logger: Logger = Logger(label: "vigil.repository"),
        onLoad: @escaping @Sendable (LoadedModel) -> FeatureAccumulator? = { _ in nil }
    ) {
        self.directory = directory
        self.loader = loader
        self.logger = logger
        self.onLoad = onLoad
    }

    /// Every model, by name.
    public var snapshot: [String: ModelEntry] {
        entries.withLock { $0 }
    }

    public func entry(named name: String) -> ModelEntry? {
        entries.withLock { $0[name] }
    }

    /// Loads every model folder under `directory`, replacing what was there; the folders are read side
    /// by side, one per core, which at start-up more than halves the time to ready.
    public func loadAll() {
        let names = Self.modelNames(in: directory)
        let loaded = Mutex<[String: ModelEntry]>([:])
        let previous = entries.withLock { $0 }
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let entry = readEntry(name: names[index], previous: previous[names[index]])
            loaded.withLock { $0[names[index]] = entry }
        }
        let entries = loaded.withLock { $0 }
        self.entries.withLock { $0 = entries }
    }

    /// (Re)loads one model folder. Returns the new entry, or nil when no such folder exists.
    @discardableResult
    public func load(name: String) -> ModelEntry? {
        guard Self.isValidName(name), Self.modelNames(in: directory).contains(name) else { return nil }
        let entry = readEntry(name: name, previous: entries.withLock { $0[name] })
        entries.withLock { $0[name] = entry }
        return entry
    }

    /// Marks every version of a model unavailable. Returns false for an unknown model.
    public func unload(name: String) -> Bool {
        entries.withLock { entries in
            guard var entry = entries[name] else { return false }
            for version in entry.versions.keys { entry.versions[version] = .unavailable }
            entries[name] = entry
            return true
        }
    }

    /// Model folder names: visible subfolders whose names are safe in a URL path, and which (through
    /// any symlinks) stay inside the repository.
    static func modelNames(in directory: URL) -> [String] {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return contents.filter { name in
            isValidName(name) && ContainedDirectory.isDirectory(directory.appendingPathComponent(name).path, inside: directory.path)
        }.sorted()
    }

    /// Letters, digits, `-`, `_` and `.`, not starting with a dot: no path tricks.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
            }
    }

    /// Reads every version of a model. A version that fails to load where `previous` has it ready
    /// keeps serving the previous load, and the failure is recorded in `reloadErrors` and logged.
    private func readEntry(name: String, previous: ModelEntry?) -> ModelEntry {
        let modelDirectory = directory.appendingPathComponent(name)
        let subfolders = (try? FileManager.default.contentsOfDirectory(atPath: modelDirectory.path)) ?? []
        let versions = subfolders.compactMap { folder -> Int? in
            guard let number = Int(folder), number > 0, String(number) == folder,
                ContainedDirectory.isDirectory(modelDirectory.appendingPathComponent(folder).path, inside: directory.path)
            else { return nil }
            return number
        }
        var entry = ModelEntry(name: name, versions: [:])
        let folders: [(Int, URL)] =
            versions.isEmpty
            ? [(1, modelDirectory)]
            : versions.map { ($0, modelDirectory.appendingPathComponent(String($0))) }
        var keptPrevious = Set<Int>()
        for (version, folder) in folders {
            do {
                let model = try loader.load(name: name, version: version, directory: folder, modelDirectory: modelDirectory)
                entry.versions[version] = .ready(model)
                logger.info("loaded model", metadata: ["model": "\(name)", "version": "\(version)", "format": "\(model.format.rawValue)"])
            } catch {
                if case .ready(let serving)? = previous?.versions[version] {
                    entry.versions[version] = .ready(serving)
                    entry.reloadErrors[version] = error.message
                    keptPrevious.insert(version)
                    logger.error(
                        "model failed to reload; the previous load goes on serving",
                        metadata: ["model": "\(name)", "version": "\(version)", "error": "\(error.message)"])
                } else {
                    entry.versions[version] = .failed(error.message)
                    logger.error(
                        "model failed to load", metadata: ["model": "\(name)", "version": "\(version)", "error": "\(error.message)"])
                }
            }
        }
        // A kept load is already registered with the feature log; a new one starts its accumulator.
        if let version = entry.defaultVersion, !keptPrevious.contains(version), case .ready(let model)? = entry.versions[version] {
            entry.accumulator = onLoad(model)
        } else {
            entry.accumulator = previous?.accumulator
        }
        return entry
    }
}
