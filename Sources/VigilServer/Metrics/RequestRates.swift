import FoundationEssentials
import Synchronization

/// Requests and errors per model over the last few minutes, for the dashboard's rate columns.
///
/// One small ring of per-minute buckets per model, in atomics: the request path finds its model's
/// ring with its metric handles (`ServerMetrics`) and counts without taking a lock. Only making a
/// model's ring, and the dashboard's lookups, take the short lock on the dictionary of rings.
final class RequestRates: Sendable {
    struct Rate: Sendable, Equatable {
        /// Requests per minute over the window.
        var perMinute: Double
        /// The share of those requests answered 4xx or 5xx.
        var errorShare: Double?
    }

    /// One model's buckets. Each holds its minute in the high 32 bits and its count in the low 32,
    /// so a request counts itself, or starts a new minute, in one compare-and-exchange.
    final class Ring: Sendable {
        /// `RequestRates.bucketCount` buckets; the count is written here, where the type needs it.
        private let requests: InlineArray<6, Atomic<UInt64>> = InlineArray { _ in Atomic(0) }
        private let errors: InlineArray<6, Atomic<UInt64>> = InlineArray { _ in Atomic(0) }

        init() {
            precondition(requests.count == RequestRates.bucketCount, "RequestRates.Ring holds bucketCount buckets")
        }

        func add(minute: Int64, failed: Bool) {
            let slot = Int(minute % Int64(RequestRates.bucketCount))
            let stamp = UInt64(truncatingIfNeeded: minute)
            Self.count(requests[slot], minute: stamp)
            if failed { Self.count(errors[slot], minute: stamp) }
        }

        /// Requests and errors in the buckets whose minutes fall in `window`.
        func totals(in window: ClosedRange<Int64>) -> (requests: Int, errors: Int) {
            var requestTotal = 0
            var errorTotal = 0
            for slot in 0..<RequestRates.bucketCount {
                let request = requests[slot].load(ordering: .relaxed)
                let error = errors[slot].load(ordering: .relaxed)
                if window.contains(Int64(request >> 32)) { requestTotal += Int(request & 0xFFFF_FFFF) }
                if window.contains(Int64(error >> 32)) { errorTotal += Int(error & 0xFFFF_FFFF) }
            }
            return (requestTotal, errorTotal)
        }

        private static func count(_ bucket: borrowing Atomic<UInt64>, minute: UInt64) {
            var current = bucket.load(ordering: .relaxed)
            while true {
                let next = current >> 32 == minute ? current &+ 1 : minute << 32 | 1
                let (exchanged, seen) = bucket.compareExchange(expected: current, desired: next, ordering: .relaxed)
                if exchanged { return }
                current = seen
            }
        }
    }

    /// Buckets per ring: the minutes the rate is averaged over, plus the one in progress.
    static let bucketCount = 6
    /// Minutes the rate is averaged over.
    static let windowMinutes = Int64(bucketCount - 1)

    private let rings = Mutex<[String: Ring]>([:])
    private let startedAt: Double

    init(startedAt: Double = Date().timeIntervalSince1970) { self.startedAt = startedAt }

    /// `model`'s ring, made on first use.
    func ring(for model: String) -> Ring {
        rings.withLock { rings in
            if let ring = rings[model] { return ring }
            let ring = Ring()
            rings[model] = ring
            return ring
        }
    }

    /// The rate of `model` over the last `windowMinutes` minutes (or since start, when sooner).
    func rate(model: String, at time: Double = Date().timeIntervalSince1970) -> Rate {
        let minute = Int64(time / 60)
        let (requests, errors) = rings.withLock { $0[model] }?.totals(in: (minute - Self.windowMinutes + 1)...minute) ?? (0, 0)
        let minutes = min(Double(Self.windowMinutes), max((time - startedAt) / 60, 1))
        return Rate(perMinute: Double(requests) / minutes, errorShare: requests > 0 ? Double(errors) / Double(requests) : nil)
    }
}
