import Dispatch
import Foundation
import Synchronization
import Testing

@testable import VigilServer

/// The request-duration histogram (`LatencyHistogram`): atomics that every request records into.
struct LatencyHistogramTests {
    /// Runs `body` on `count` threads of their own (not the test's executor), with their index, and
    /// waits for all of them.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread.detachNewThread {
                body(index)
                group.leave()
            }
        }
        group.wait()
    }

    /// The samples of one histogram in `text`, by name suffix and `le`.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            samples[String(parts[0])] = value
        }
        return samples
    }

    @Test func bucketsAreCumulativeAndABoundaryValueCountsInItsOwnBucket() {
        let histogram = LatencyHistogram(bounds: [.microseconds(100), .milliseconds(1), .milliseconds(10)])
        // 100 µs exactly is "le 0.0001"; 100.001 µs is not.
        let recorded: [Duration] = [
            .microseconds(50), .microseconds(100), .nanoseconds(100_001), .milliseconds(1),
            .milliseconds(7), .milliseconds(10), .seconds(2),
        ]
        for duration in recorded { histogram.record(duration) }
        var text = ""
        histogram.write(name: "d", labels: #"route="/x""#, to: &text)
        let samples = Self.samples(text)
        func atOrBelow(_ bound: Duration) -> Double { Double(recorded.filter { $0 <= bound }.count) }
        #expect(samples[#"d_bucket{route="/x",le="0.0001"}"#] == atOrBelow(.microseconds(100)))
        #expect(samples[#"d_bucket{route="/x",le="0.001"}"#] == atOrBelow(.milliseconds(1)))
        #expect(samples[#"d_bucket{route="/x",le="0.01"}"#] == atOrBelow(.milliseconds(10)))
        #expect(samples[#"d_bucket{route="/x",le="+Inf"}"#] == Double(recorded.count))
        #expect(samples[#"d_count{route="/x"}"#] == Double(recorded.count))
        let sum = recorded.reduce(0.0) { $0 + Double($1.nanoseconds) / 1e9 }
        #expect(abs((samples[#"d_sum{route="/x"}"#] ?? -1) - sum) < 1e-12)
        // The bucket lines come in order of their bounds, +Inf last.
        let order = text.split(separator: "\n").filter { $0.hasPrefix("d_bucket") }.map { $0.split(separator: "le=").last ?? "" }
        #expect(order == [#""0.0001"} 2"#, #""0.001"} 4"#, #""0.01"} 6"#, #""+Inf"} 7"#])
    }

    @Test func recordsFromManyThreadsAreAllCounted() {
        let histogram = LatencyHistogram(bounds: ServerMetrics.durationBuckets)
        Self.onThreads(4) { index in
            for step in 0..<25_000 { histogram.record(.microseconds(step % 7 == 0 ? 300 : 50 + index)) }
        }
        var text = ""
        histogram.write(name: "d", labels: "", to: &text)
        let samples = Self.samples(text)
        let slow = Double((0..<25_000).filter { $0 % 7 == 0 }.count * 4)
        #expect(samples["d_count"] == 100_000)
        #expect(samples[#"d_bucket{le="0.0001"}"#] == 100_000 - slow)
        #expect(samples[#"d_bucket{le="0.00025"}"#] == 100_000 - slow)
        #expect(samples[#"d_bucket{le="0.0005"}"#] == 100_000)
        let fast = (0..<25_000).filter { $0 % 7 != 0 }.count
        let sumMicroseconds = Double(fast * (50 + 51 + 52 + 53)) + slow * 300
        #expect(abs((samples["d_sum"] ?? -1) - sumMicroseconds / 1e6) < 1e-9)
    }
}
