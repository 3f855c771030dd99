import FoundationEssentials

/// A receiver URL as logs may show it: scheme, host and port only. Webhook URLs carry their secret
/// in the path or the query (Slack's `/services/T…/B…/<token>`), and logs are read by many.
enum ReceiverAddress {
    static func redacted(_ url: String) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return "<receiver>" }
        let port = parsed.port.map { ":\($0)" } ?? ""
        let rest = parsed.path.isEmpty || parsed.path == "/" ? (parsed.query == nil ? "" : "/…") : "/…"
        return "\(scheme)://\(host)\(port)\(rest)"
    }
}
