import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a path is a directory whose real location (symlinks resolved) lies inside a root folder.
///
/// Model folders may be symlinks, as Kubernetes ConfigMap and Secret volumes make them
/// (`iris -> ..data/iris`), but never to a place outside the model repository.
enum ContainedDirectory {
    static func isDirectory(_ path: String, inside root: String) -> Bool {
        guard let real = realPath(path), let realRoot = realPath(root) else { return false }
        let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        guard real.hasPrefix(prefix) else { return false }
        // The resolved path is no symlink, so its own attributes say whether it is a folder. (Not
        // `stat`: NIOCore's C shims declare that struct too, and a release build may pick theirs.)
        let attributes = try? FileManager.default.attributesOfItem(atPath: real)
        return attributes?[.type] as? FileAttributeType == .typeDirectory
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
