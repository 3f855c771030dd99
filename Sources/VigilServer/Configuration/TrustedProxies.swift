import FoundationEssentials
public import NIOCore
import VigilModels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The addresses (single hosts or CIDR blocks, IPv4 or IPv6) whose `X-Forwarded-*` headers are believed.
/// From any other peer those headers are ignored, so a client cannot spoof its address or the link prefix.
public struct TrustedProxies: Sendable, Equatable {
    struct Block: Sendable, Equatable {
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for index in bytes.indices where remaining > 0 {
                let bits = min(remaining, 8)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    var blocks: [Block] = []

    public init() {}

    /// Parses comma-separated addresses and CIDR blocks: `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
    public init(parsing text: String, source: String) throws(ConfigurationError) {
        for item in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !item.isEmpty {
            let parts = item.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.addressBytes(parts[0]) else {
                throw ConfigurationError("\(source) must list IP addresses or CIDR blocks such as 127.0.0.1 or 10.0.0.0/8, not '\(item)'")
            }
            let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let length, (0...bytes.count * 8).contains(length) else {
                throw ConfigurationError("\(source): the prefix length of '\(item)' must be 0 to \(bytes.count * 8)")
            }
            blocks.append(Block(bytes: bytes, prefixLength: length))
        }
    }

    public var isEmpty: Bool { blocks.isEmpty }

    /// Whether `address` is a trusted proxy. IPv4 peers seen as IPv4-mapped IPv6 count as IPv4.
    public func trusts(_ address: SocketAddress?) -> Bool {
        guard !blocks.isEmpty, let text = address?.ipAddress else { return false }
        let plain = text.hasPrefix("::ffff:") && text.contains(".") ? String(text.dropFirst(7)) : text
        guard let bytes = Self.addressBytes(plain) else { return false }
        return blocks.contains { $0.contains(bytes) }
    }

    /// The client's address: the peer itself, or, when the peer is a trusted proxy, the nearest
    /// address in `X-Forwarded-For` that is not a trusted proxy (read right to left, as each proxy
    /// appends the address it saw). A chain of trusted proxies only gives its leftmost entry.
    public func clientAddress(peer: SocketAddress?, forwardedFor: String?) -> String {
        let peerText = peer?.ipAddress ?? "unknown"
        guard trusts(peer), let forwardedFor else { return peerText }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingWhitespace() }.filter { Self.addressBytes($0) != nil }
        for hop in hops.reversed() {
            guard let bytes = Self.addressBytes(hop), blocks.contains(where: { $0.contains(bytes) }) else { return hop }
        }
        return hops.first ?? peerText
    }

    static func addressBytes(_ text: String) -> [UInt8]? {
        // Plain byte buffers, not in_addr/in6_addr: NIOCore's C shims declare those structs too.
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
        return nil
    }
}
