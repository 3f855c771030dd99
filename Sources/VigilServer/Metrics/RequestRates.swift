import FoundationEssentials
import Synchronization

/// Requests and errors per model over the last few minutes, for the dashboard's rate columns.
///
/// One small ring of per-minute buckets per model; recording is a dictionary lookup and two adds
/// under a short lock, never held across anything else.
final class RequestRates: Sendable {
    struct Rate: Sendable, Equatable {
        /// Requests per minute over the window.
        var perMinute: Double
        /// The share of those requests answered 4xx or 5xx.
        var errorShare: Double?
    }

    private struct Ring: Sendable {
        var minutes = [Int64](repeating: -1, count: RequestRates.bucketCount)
        var requests = [Int](repeating: 0, count: RequestRates.bucketCount)
        var errors = [Int](repeating: 0, count: RequestRates.bucketCount)

        mutating func add(minute: Int64, slot: Int, failed: Bool) {
            if minutes[slot] != minute {
                minutes[slot] = minute
                requests[slot] = 0
                errors[slot] = 0
            }
            requests[slot] += 1
            if failed { errors[slot] += 1 }
        }
    }

    /// Minutes the rate is averaged over, plus the one in progress.
    static let windowMinutes: Int64 = 5
    static let bucketCount = Int(windowMinutes) + 1

    private let rings = Mutex<[String: Ring]>([:])
    private let startedAt: Double

    init(startedAt: Double = Date().timeIntervalSince1970) { self.startedAt = startedAt }

    func record(model: String, failed: Bool, at time: Double = Date().timeIntervalSince1970) {
        let minute = Int64(time / 60)
        let slot = Int(minute % Int64(Self.bucketCount))
        rings.withLock { rings in
            rings[model, default: Ring()].add(minute: minute, slot: slot, failed: failed)
        }
    }

    /// The rate of `model` over the last `windowMinutes` minutes (or since start, when sooner).
    func rate(model: String, at time: Double = Date().timeIntervalSince1970) -> Rate {
        let minute = Int64(time / 60)
        let (requests, errors) = rings.withLock { rings -> (Int, Int) in
            guard let ring = rings[model] else { return (0, 0) }
            var requests = 0, errors = 0
            for slot in ring.minutes.indices where ring.minutes[slot] > minute - Self.windowMinutes && ring.minutes[slot] <= minute {
                requests += ring.requests[slot]
                errors += ring.errors[slot]
            }
            return (requests, errors)
        }
        let minutes = min(Double(Self.windowMinutes), max((time - startedAt) / 60, 1))
        return Rate(perMinute: Double(requests) / minutes, errorShare: requests > 0 ? Double(errors) / Double(requests) : nil)
    }
}
