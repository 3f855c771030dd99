import Dispatch
import Foundation
import Synchronization
import Testing
@testable import VigilServer

/// The request path's shared state read without locks: the repository's entries and the metric
/// handles (`ReadMostly`), and the request-duration histogram (`LatencyHistogram`).
struct LockFreeRequestPathTests {
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

    @Test func aThreadThatKeptACopySeesTheReplacementOnItsNextRead() {
        let value = ReadMostly<[String: Int]>(["model": 1])
        let firstReads = Mutex<[Int]>([]), secondReads = Mutex<[Int]>([])
        let replaced = DispatchSemaphore(value: 0), readOnce = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                // Each thread reads twice before the replacement (the second read is its own copy)...
                _ = value.read()
                firstReads.withLock { $0.append(value.read()["model"] ?? 0) }
                readOnce.signal()
                replaced.wait()
                // ...and once after it, from the same thread.
                secondReads.withLock { $0.append(value.read()["model"] ?? 0) }
                group.leave()
            }
        }
        for _ in 0..<4 { readOnce.wait() }
        value.update { $0["model"] = 2 }
        for _ in 0..<4 { replaced.signal() }
        group.wait()
        #expect(firstReads.withLock { $0 } == [1, 1, 1, 1])
        #expect(secondReads.withLock { $0 } == [2, 2, 2, 2])
    }

    @Test func readsRacingManyReplacementsNeverGoBackwardsAndEndAtTheLast() {
        let value = ReadMostly<Int>(0)
        let last = 2_000
        let wentBack = Atomic<Int>(0)
        let finalReads = Mutex<[Int]>([])
        Self.onThreads(5) { index in
            if index == 0 {
                for step in 1...last { value.update { $0 = step } }
                return
            }
            var previous = 0
            for _ in 0..<20_000 {
                let read = value.read()
                if read < previous { wentBack.add(1, ordering: .relaxed) }
                previous = read
            }
            while value.read() != last {}
            finalReads.withLock { $0.append(value.read()) }
        }
        #expect(wentBack.load(ordering: .relaxed) == 0)
        #expect(finalReads.withLock { $0 } == [last, last, last, last])
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
        let recorded: [Duration] = [.microseconds(50), .microseconds(100), .nanoseconds(100_001), .milliseconds(1),
                                    .milliseconds(7), .milliseconds(10), .seconds(2)]
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
