import Synchronization

/// A Prometheus histogram of request durations that records without a lock.
///
/// swift-prometheus's histogram takes a lock and bumps every bucket at or above the value on each
/// record. This one bumps one atomic counter (the value's own bucket) and an atomic sum; the
/// cumulative `_bucket` series, `_count` and `_sum` are worked out when the histogram is written.
/// A scrape that races a record may see the count before the sum, as with any lock-free counter.
final class LatencyHistogram: @unchecked Sendable {
    /// Upper bounds in nanoseconds, ascending.
    let bounds: [Int64]
    /// One counter per bound, plus one for everything above the last: `bounds.count + 1` atomics
    /// at fixed addresses, allocated once and freed in `deinit` (hence `@unchecked Sendable`; every
    /// access is atomic).
    private let counts: UnsafeMutablePointer<Atomic<Int>>
    private let sumNanoseconds = Atomic<Int64>(0)

    init(bounds: [Duration]) {
        self.bounds = bounds.map(\.nanoseconds).sorted()
        counts = .allocate(capacity: bounds.count + 1)
        for index in 0...bounds.count { (counts + index).initialize(to: Atomic(0)) }
    }

    deinit {
        counts.deinitialize(count: bounds.count + 1)
        counts.deallocate()
    }

    func record(_ duration: Duration) {
        let nanoseconds = duration.nanoseconds
        var index = 0
        while index < bounds.count, bounds[index] < nanoseconds { index += 1 }
        counts[index].wrappingAdd(1, ordering: .relaxed)
        sumNanoseconds.wrappingAdd(nanoseconds, ordering: .relaxed)
    }

    /// The `_bucket` samples (cumulative, with `le` in seconds, ending at `+Inf`), `_sum` in
    /// seconds and `_count`, each after `labels`, in the text format.
    func write(name: String, labels: String, to text: inout String) {
        var cumulative = 0
        let separator = labels.isEmpty ? "" : ","
        for index in 0...bounds.count {
            cumulative += counts[index].load(ordering: .relaxed)
            let bound = index < bounds.count ? MetricFamilyText.format(Double(bounds[index]) / 1e9) : "+Inf"
            text += "\(name)_bucket{\(labels)\(separator)le=\"\(bound)\"} \(cumulative)\n"
        }
        let braced = labels.isEmpty ? "" : "{\(labels)}"
        text += "\(name)_sum\(braced) \(MetricFamilyText.format(Double(sumNanoseconds.load(ordering: .relaxed)) / 1e9))\n"
        text += "\(name)_count\(braced) \(cumulative)\n"
    }
}
