public import FoundationEssentials

/// Reads model, reference and data files, inflating them when their name ends in `.gz`.
public enum CompressedFile {
    /// The bytes of the file at `url`, inflated if gzipped, at most `limit` bytes once inflated.
    public static func read(_ url: URL, limit: Int = 1 << 30) throws(ModelError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ModelError(.invalidModel, "cannot read \(url.path)")
        }
        let bytes = [UInt8](data)
        guard url.pathExtension == "gz" else { return bytes }
        do {
            return try Gzip.decompress(bytes, limit: limit)
        } catch {
            throw ModelError(.invalidModel, "cannot inflate \(url.lastPathComponent): \(error)")
        }
    }
}
