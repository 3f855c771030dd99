import Testing

@testable import VigilServer

/// The dashboard's per-model request rates: per-minute buckets counted in atomics, no lock per request.
struct RequestRatesTests {
    @Test func aRingHoldsOneBucketPerMinuteOfTheWindowAndTheOneInProgress() {
        #expect(RequestRates.bucketCount == Int(RequestRates.windowMinutes) + 1)
        let ring = RequestRates.Ring()
        // Minutes 0...5 land in six different buckets, so the window 1...5 holds exactly five of them.
        for minute in Int64(0)...5 { ring.add(minute: 30_000_000 + minute, failed: false) }
        #expect(ring.totals(in: 30_000_001...30_000_005).requests == 5)
    }

    @Test func ratesCountTheLastFiveMinutesAndTheirErrors() {
        // The server started ten minutes earlier, so rates are over the full five minutes.
        let start = 1_800_000_000.0
        let rates = RequestRates(startedAt: start - 600)
        let ring = rates.ring(for: "m")
        func record(failed: Bool, at time: Double) { ring.add(minute: Int64(time / 60), failed: failed) }
        // Minute 0: 30 requests, 3 failed; minute 4: 10 requests; minute 6: 20 requests, 5 failed.
        for index in 0..<30 { record(failed: index < 3, at: start + 10) }
        for _ in 0..<10 { record(failed: false, at: start + 4 * 60 + 1) }
        #expect(rates.rate(model: "m", at: start + 4 * 60 + 2) == .init(perMinute: 40.0 / 5, errorShare: 3.0 / 40))
        for index in 0..<20 { record(failed: index < 5, at: start + 6 * 60 + 1) }
        // The window is minutes 2...6: minute 0 has left it, and its bucket (slot 0) now holds minute 6.
        #expect(rates.rate(model: "m", at: start + 6 * 60 + 2) == .init(perMinute: 30.0 / 5, errorShare: 5.0 / 30))
        #expect(rates.rate(model: "other", at: start + 6 * 60 + 2) == .init(perMinute: 0, errorShare: nil))
    }

    @Test func concurrentRequestsAreAllCounted() async {
        let start = 1_800_000_000.0
        let rates = RequestRates(startedAt: start - 600)
        let ring = rates.ring(for: "m")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for index in 0..<25_000 { ring.add(minute: Int64(start / 60), failed: (index + task) % 10 == 0) }
                }
            }
        }
        let rate = rates.rate(model: "m", at: start + 10)
        #expect(rate.perMinute == 100_000.0 / 5)
        #expect(rate.errorShare == 10_000.0 / 100_000)
    }
}
