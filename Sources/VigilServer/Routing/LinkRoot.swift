import Hummingbird

/// The path prefix generated links and redirects start with: what a trusted proxy strips in front
/// of Vigil (`X-Forwarded-Prefix`, checked to be a plain path) and then `--base-path`.
struct LinkRoot: Sendable {
    let basePath: String
    let trustedProxies: TrustedProxies

    func root(_ request: Request, context: VigilRequestContext) -> String {
        guard trustedProxies.trusts(context.remoteAddress), let header = request.headers[.xForwardedPrefix],
            let prefix = Self.plainPath(header)
        else { return basePath }
        // A proxy that passes the whole path on sends the base path as its prefix: count it once.
        return !basePath.isEmpty && prefix.hasSuffix(basePath) ? prefix : prefix + basePath
    }

    /// Whether the client reached the proxy over https, as a trusted proxy says.
    func isSecure(_ request: Request, context: VigilRequestContext) -> Bool {
        trustedProxies.trusts(context.remoteAddress) && request.headers[.xForwardedProto]?.lowercased() == "https"
    }

    /// `/a/b` from `/a/b/` or `a/b`; nil for anything but plain segments of unreserved characters.
    static func plainPath(_ text: String) -> String? {
        let segments = text.split(separator: "/", omittingEmptySubsequences: true)
        guard text.count <= 256, text.hasPrefix("/") || text.isEmpty || segments.first != nil else { return nil }
        for segment in segments {
            guard segment != ".", segment != "..",
                segment.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._~".unicodeScalars.contains($0))
                })
            else { return nil }
        }
        return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }
}
