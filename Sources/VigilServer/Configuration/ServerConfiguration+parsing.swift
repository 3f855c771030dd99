public import FoundationEssentials
public import Logging
import VigilModels
public import VigilStore

extension ServerConfiguration {
    /// Defaults overlaid with the `VIGIL_*` variables found in `environment`, then with `flags`
    /// (command-line values keyed by flag name without dashes, such as `body-limit`). Both go
    /// through the one table of `ServerSetting`s, so a setting is parsed the same way from either.
    public init(environment: [String: String], flags: [String: String] = [:]) throws(ConfigurationError) {
        let table = Dictionary(Self.settings.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
        for setting in Self.settings {
            if let text = environment[setting.environment], !text.isEmpty {
                try setting.apply(text, to: &self, source: setting.environment)
            }
        }
        for (flag, text) in flags.sorted(by: { $0.key < $1.key }) {
            guard let setting = table[flag] else {
                throw ConfigurationError("--\(flag) is not a setting of vigil serve; vigil serve --help lists them")
            }
            try setting.apply(text, to: &self, source: "--\(flag)")
        }
    }

    public static func parseBool(_ text: String, source: String) throws(ConfigurationError) -> Bool {
        guard let flag = Bool(text.lowercased()) else { throw ConfigurationError("\(source) must be true or false, not '\(text)'") }
        return flag
    }

    /// A duration with a unit: `500ms`, `1s`, `5m`, `12h`, `30d`; a bare number is seconds.
    public static func parseDuration(_ text: String, source: String) throws(ConfigurationError) -> Duration {
        let trimmed = text.trimmingWhitespace().lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, seconds) in units where trimmed.hasSuffix(suffix) {
            if let number = Double(trimmed.dropLast(suffix.count)), number > 0, number.isFinite {
                return .milliseconds(Int64((number * seconds * 1000).rounded()))
            }
        }
        if let number = Double(trimmed), number > 0, number.isFinite { return .milliseconds(Int64((number * 1000).rounded())) }
        throw ConfigurationError("\(source) must be a positive duration such as 500ms, 1s, 5m, 12h or 30d, not '\(text)'")
    }

    /// A retention period, or `forever` (also `0`) to keep every window.
    public static func parseRetention(_ text: String, source: String) throws(ConfigurationError) -> Duration? {
        let trimmed = text.trimmingWhitespace().lowercased()
        if trimmed == "forever" || trimmed == "0" { return nil }
        return try parseDuration(trimmed, source: source)
    }

    /// A refresh period, or `0`/`off` for none.
    public static func parseRefresh(_ text: String, source: String) throws(ConfigurationError) -> Duration? {
        let trimmed = text.trimmingWhitespace().lowercased()
        if trimmed == "off" || trimmed == "0" { return nil }
        return try parseDuration(trimmed, source: source)
    }

    /// A `postgres://` URL for `--store`.
    public static func parseStore(_ text: String, source: String) throws(ConfigurationError) -> FleetAddress {
        do {
            return try FleetAddress(url: text.trimmingWhitespace())
        } catch {
            throw ConfigurationError("\(source): \(error.message); without it the store is the SQLite file of --db")
        }
    }

    /// Comma-separated http(s) URLs.
    public static func parseURLs(_ text: String, source: String) throws(ConfigurationError) -> [String] {
        let urls = text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        for url in urls where !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URL(string: url) == nil {
            throw ConfigurationError("\(source) must hold http:// or https:// URLs, not '\(url)'")
        }
        return urls
    }

    /// A share from 0 to 1.
    public static func parseRate(_ text: String, source: String) throws(ConfigurationError) -> Double {
        guard let rate = Double(text.trimmingWhitespace()), rate >= 0, rate <= 1 else {
            throw ConfigurationError("\(source) must be a share from 0 to 1, such as 0.01, not '\(text)'")
        }
        return rate
    }

    public static func parsePort(_ text: String, source: String) throws(ConfigurationError) -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ConfigurationError("\(source) must be a port number from 0 to 65535, not '\(text)'")
        }
        return port
    }

    /// A size in bytes, with an optional K, M or G suffix (powers of 1024): `16M`, `512K`, `1048576`.
    public static func parseSize(_ text: String, source: String) throws(ConfigurationError) -> Int {
        let trimmed = text.trimmingWhitespace().uppercased().replacing("IB", with: "").replacing("B", with: "")
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(trimmed)
        var multiplier = 1
        if let last = digits.last, let factor = multipliers[last] {
            multiplier = factor
            digits = digits.dropLast()
        }
        guard let number = Int(digits), number > 0 else {
            throw ConfigurationError("\(source) must be a positive size such as 16M or 1048576, not '\(text)'")
        }
        return number * multiplier
    }

    /// `vigil/` and `/vigil/` both become `/vigil`; `/` becomes empty.
    public static func normalizeBasePath(_ text: String) throws(ConfigurationError) -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        for part in parts where part == "." || part == ".." || part.contains(where: { $0 == "?" || $0 == "#" || $0 == ":" || $0 == "{" }) {
            throw ConfigurationError("base path '\(text)' must be plain path segments")
        }
        return parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
    }

    public static func parseLogLevel(_ text: String, source: String) throws(ConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError("\(source) must be one of trace, debug, info, notice, warning, error, critical, not '\(text)'")
        }
        return level
    }
}
