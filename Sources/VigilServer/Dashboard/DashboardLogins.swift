import FoundationEssentials
import Synchronization

/// Logins made through the dashboard's login form, each a random id in a cookie: in memory, each valid for
/// `lifetime`. A restart logs everyone out, which is the safe side.
final class DashboardLogins: Sendable {
    private let logins = Mutex<[String: Double]>([:])
    let lifetime: Double
    let capacity: Int

    init(lifetime: Double = 12 * 3600, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// A new login id: 256 random bits from the system's secure generator, as hex.
    func create(now: Double = Date().timeIntervalSince1970) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in
            let text = String(generator.next(), radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
        logins.withLock { logins in
            if logins.count >= capacity {
                logins = logins.filter { $0.value > now }
                if logins.count >= capacity, let oldest = logins.min(by: { $0.value < $1.value })?.key { logins[oldest] = nil }
            }
            logins[id] = now + lifetime
        }
        return id
    }

    func isValid(_ id: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        logins.withLock { ($0[id] ?? 0) > now }
    }

    func end(_ id: String) {
        _ = logins.withLock { $0.removeValue(forKey: id) }
    }
}
