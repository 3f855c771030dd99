import FoundationEssentials
import Synchronization

/// Browser sessions made by the dashboard's login form: random ids, in memory, each valid for
/// `lifetime`. A restart logs everyone out, which is the safe side.
final class DashboardSessions: Sendable {
    private let sessions = Mutex<[String: Double]>([:])
    let lifetime: Double
    let capacity: Int

    init(lifetime: Double = 12 * 3600, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// A new session id: 256 random bits from the system's secure generator, as hex.
    func create(now: Double = Date().timeIntervalSince1970) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in
            let text = String(generator.next(), radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
        sessions.withLock { sessions in
            if sessions.count >= capacity {
                sessions = sessions.filter { $0.value > now }
                if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value < $1.value })?.key { sessions[oldest] = nil }
            }
            sessions[id] = now + lifetime
        }
        return id
    }

    func isValid(_ id: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        sessions.withLock { ($0[id] ?? 0) > now }
    }

    func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
