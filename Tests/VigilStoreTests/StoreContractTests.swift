import Foundation
import Testing
import VigilModels
import VigilStats
import VigilStore

/// The semantics every store keeps, run once per engine: the same test functions for the SQLite
/// file and for a fleet's PostgreSQL database (a real server, `TestPostgres`).
struct StoreContractTests {
    func window(_ values: [Double], bins: QuantileBins, categories: [String: Int64] = [:], seed: UInt64 = 3, capacity: Int = 10)
        -> ColumnWindow
    {
        var generator = SplitMix64(seed: seed)
        var window = ColumnWindow(profile: "p1", slotCount: bins.slotCount, sampleCapacity: capacity)
        for value in values {
            window.moments.add(value)
            if let slot = bins.slot(of: value) { window.slotCounts[slot] += 1 }
            window.sample.add(value, using: &generator)
        }
        window.categories = categories
        return window
    }

    @Test(arguments: TestPostgres.engines)
    func windowDeltasAddUpAcrossFlushes(engine: Store.Engine) throws {
        let store = try TestStore.fresh(engine).store.windows
        let bins = QuantileBins(edges: [0, 1, 2])
        let key = ColumnKey(model: "m", role: .input, feature: "x")
        try store.apply([60: [key: window([0.5, 1.5, 3, .nan], bins: bins, categories: ["a": 2])]])
        try store.apply([60: [key: window([-1, 0.2], bins: bins, categories: ["a": 1, "b": 4])]])
        try store.apply([120: [key: window([1.2], bins: bins)]])
        let first = try #require(try store.aggregate(model: "m", from: 60, to: 120)[key])
        #expect(first.moments.count == 5 && first.moments.missing == 1)
        #expect(first.moments.minimum == -1 && first.moments.maximum == 3)
        #expect(abs(first.moments.sum - 4.2) < 1e-12)
        #expect(first.slotCounts == [1, 2, 1, 1])
        #expect(first.categories == ["a": 3, "b": 4])
        #expect(first.sample.seen == 5)
        #expect(Set(first.sample.values) == [0.5, 1.5, 3, -1, 0.2])
        let both = try #require(try store.aggregate(model: "m", from: 0, to: 1000)[key])
        #expect(both.moments.count == 6)
        #expect(both.slotCounts == [1, 2, 2, 1])
        #expect(try store.aggregate(model: "other", from: 0, to: 1000).isEmpty)
    }

    /// What three processes log adds up to what one would have logged with all the rows: the same
    /// counts, bins and categories, and a sample that holds every value when they fit.
    @Test(arguments: TestPostgres.engines)
    func windowsFromSeveralProcessesAddUpToOnesWindow(engine: Store.Engine) throws {
        let fleet = try TestStore.fresh(engine)
        let single = try TestStore.fresh(engine).store.windows
        let bins = QuantileBins(edges: [-1, 0, 1])
        let key = ColumnKey(model: "m", role: .input, feature: "x")
        var generator = SplitMix64(seed: 11)
        let values = (0..<90).map { _ in Double(generator.next() % 400) / 100 - 2 }
        let names = ["red", "blue", "green"]
        for (index, part) in stride(from: 0, to: 90, by: 30).enumerated() {
            let replica = try fleet.replica("replica-\(index + 1)").windows
            let rows = Array(values[part..<part + 30])
            let categories = Dictionary(grouping: rows.indices.map { names[($0 + part) % 3] }, by: { $0 }).mapValues { Int64($0.count) }
            try replica.apply([60: [key: window(rows, bins: bins, categories: categories, seed: UInt64(index), capacity: 100)]])
        }
        let allCategories = Dictionary(grouping: values.indices.map { names[$0 % 3] }, by: { $0 }).mapValues { Int64($0.count) }
        try single.apply([60: [key: window(values, bins: bins, categories: allCategories, capacity: 100)]])
        let merged = try #require(try fleet.store.windows.aggregate(model: "m", from: 0, to: 120)[key])
        let alone = try #require(try single.aggregate(model: "m", from: 0, to: 120)[key])
        #expect(merged.moments.count == alone.moments.count && merged.moments.count == 90)
        #expect(merged.moments.minimum == alone.moments.minimum && merged.moments.maximum == alone.moments.maximum)
        #expect(abs(merged.moments.sum - alone.moments.sum) < 1e-9)
        #expect(merged.slotCounts == alone.slotCounts)
        #expect(merged.categories == alone.categories)
        #expect(merged.sample.seen == 90)
        #expect(merged.sample.values.sorted() == values.sorted())
    }

    @Test(arguments: TestPostgres.engines)
    func retentionDeletesOldWindowsOnlyAndFindsTheLastRows(engine: Store.Engine) throws {
        let test = try TestStore.fresh(engine)
        let store = test.store.windows
        let bins = QuantileBins(edges: [0, 1])
        let x = ColumnKey(model: "m", role: .input, feature: "x")
        let y = ColumnKey(model: "m", role: .input, feature: "y")
        try store.apply([60: [x: window([0.5, 0.6], bins: bins), y: window([0.5], bins: bins)], 600: [x: window([0.7], bins: bins)]])
        try test.replica("replica-2").windows.apply([600: [x: window([0.8, 0.9], bins: bins)]])
        // Window 600 holds 3 rows of x over both processes; with window 60, 5.
        #expect(try store.startOfLast(rows: 3, model: "m") == 600)
        #expect(try store.startOfLast(rows: 4, model: "m") == 60)
        #expect(try store.startOfLast(rows: 100, model: "m") == 60)
        #expect(try store.startOfLast(rows: 1, model: "nothing") == nil)
        try store.deleteWindows(before: 300)
        #expect(try store.aggregate(model: "m", from: 0, to: 300).isEmpty)
        #expect(try store.aggregate(model: "m", from: 300, to: 1000)[x]?.moments.count == 3)
    }

    @Test(arguments: TestPostgres.engines)
    func payloadSamplesAreKeptUntilRetention(engine: Store.Engine) throws {
        let store = try TestStore.fresh(engine).store.windows
        try store.apply([:], payloads: [PayloadSample(model: "m", receivedAt: 100, features: #"{"x":1}"#, outputs: #"{"y":2}"#)])
        #expect(try store.deleteWindows(before: 50) == 0)
    }

    @Test(arguments: TestPostgres.engines)
    func aProfileIsStoredOncePerFingerprintAndReadBack(engine: Store.Engine) throws {
        let test = try TestStore.fresh(engine)
        let columns = [ColumnProfile(name: "x", role: .input, kind: .numeric)]
        let first = ReferenceProfile(model: "m", version: 1, rowCount: 3, columns: columns, fingerprint: "f1")
        try test.store.profiles.save(first)
        try test.replica("replica-2").profiles.save(first)
        #expect(try test.store.profiles.latest(model: "m") == first)
        #expect(try test.store.profiles.latest(model: "n") == nil)
    }

    @Test(arguments: TestPostgres.engines)
    func reportsAreListedSpreadAndDeleted(engine: Store.Engine) throws {
        let reports = try TestStore.fresh(engine).store.reports
        for index in 0..<10 {
            try reports.insert(
                model: "m", createdAt: Double(100 + index), windowStart: 0, windowEnd: Double(100 + index),
                status: index == 9 ? "drift" : "ok",
                datasetDrift: index == 9, driftedShare: Double(index) / 10, scores: ["x": Double(index), "bad": .nan],
                body: Array("r\(index)".utf8))
        }
        try reports.insert(
            model: "n", createdAt: 50, windowStart: 0, windowEnd: 50, status: "ok", datasetDrift: false, driftedShare: nil, scores: [:],
            body: [])
        let latest = try #require(try reports.latest(model: "m"))
        #expect(latest.createdAt == 109 && latest.datasetDrift && latest.status == "drift" && latest.body == Array("r9".utf8))
        #expect(try reports.latest(model: "m", since: 102, until: 104.5)?.createdAt == 104)
        #expect(try reports.history(model: "m", since: 103, until: 105).map(\.createdAt) == [103, 104, 105])
        #expect(try reports.history(model: "m", since: 0, until: 1000, limit: 2).map(\.createdAt) == [100, 101])
        let series = try reports.series(model: "m", since: 0, until: 1000, points: 4)
        #expect(series.map(\.createdAt) == [100, 103, 106, 109])
        #expect(series.last?.driftedShare == 0.9)
        #expect(try reports.series(model: nil, since: 0, until: 1000, points: 100).count == 11)
        let points = try reports.latestPoints()
        #expect(points["m"]?.createdAt == 109 && points["n"]?.createdAt == 50 && points["n"]?.driftedShare == nil)
        #expect(try reports.scores(id: latest.id) == ["x": 9])
        try reports.deleteReports(before: 105)
        #expect(try reports.history(model: "m", since: 0, until: 1000).map(\.createdAt) == [105, 106, 107, 108, 109])
        #expect(try reports.latest(model: "n") == nil)
    }

    @Test(arguments: TestPostgres.engines)
    func anAlertIsOnePerPairWithItsTransitions(engine: Store.Engine) throws {
        let alerts = try TestStore.fresh(engine).store.alerts
        var record = AlertRecord(model: "m", feature: "x", state: "pending", consecutive: 1, updatedAt: 10)
        let id = try alerts.save(record, transition: AlertTransition(from: nil, to: "pending", at: 10, detail: "ks p=0.001"))
        record.state = "firing"
        record.startedAt = 20
        record.updatedAt = 20
        #expect(try alerts.save(record, transition: AlertTransition(from: "pending", to: "firing", at: 20, detail: "ks p=0.0001")) == id)
        try alerts.save(AlertRecord(model: "n", feature: "y", state: "resolved", resolvedAt: 5, updatedAt: 5), transition: nil)
        #expect(try alerts.alerts().map(\.feature) == ["x", "y"])
        #expect(try alerts.alerts(model: "m").map(\.state) == ["firing"])
        #expect(try alerts.alerts(state: "resolved").map(\.model) == ["n"])
        let stored = try #require(try alerts.alert(id: id))
        #expect(stored.startedAt == 20 && stored.resolvedAt == nil && stored.consecutive == 1)
        #expect(try alerts.transitions(id: id).map(\.to) == ["pending", "firing"])
        #expect(try alerts.transitions(id: id).first?.from == nil)
        #expect(try alerts.acknowledge(id: id, at: 30))
        #expect(try alerts.alert(id: id)?.acknowledgedAt == 30)
        #expect(try !alerts.acknowledge(id: id + 1000, at: 30))
    }

    @Test(arguments: TestPostgres.engines)
    func outboxItemsAreSupersededClaimedOnceAndRetried(engine: Store.Engine) throws {
        let test = try TestStore.fresh(engine)
        let outbox = test.store.outbox
        let other = try test.replica("replica-2").outbox
        try outbox.enqueue(
            receiver: "http://am", contentType: "application/json", payload: Array("first".utf8), at: 1, supersedes: "state:m")
        try outbox.enqueue(receiver: "http://hook", contentType: "application/json", payload: Array("transition".utf8), at: 1)
        try outbox.enqueue(
            receiver: "http://am", contentType: "application/json", payload: Array("second".utf8), at: 2, supersedes: "state:m")
        #expect(try outbox.pendingCount() == 2)
        // One process claims both; the other is handed nothing until the lease ends.
        let claimed = try outbox.claimDue(at: 10, limit: 50, lease: 60)
        #expect(claimed.map { String(decoding: $0.payload, as: UTF8.self) } == ["transition", "second"])
        #expect(try other.claimDue(at: 11, limit: 50, lease: 60).isEmpty)
        // An item being delivered is not replaced: it goes out, then the newer one.
        try other.enqueue(
            receiver: "http://am", contentType: "application/json", payload: Array("third".utf8), at: 12, supersedes: "state:m")
        try outbox.markDelivered(id: claimed[1].id, at: 13)
        try outbox.reschedule(id: claimed[0].id, next: 20, error: "HTTP 503")
        #expect(try other.claimDue(at: 14, limit: 50, lease: 60).map { String(decoding: $0.payload, as: UTF8.self) } == ["third"])
        let retried = try other.claimDue(at: 21, limit: 50, lease: 60)
        #expect(retried.map { String(decoding: $0.payload, as: UTF8.self) } == ["transition"])
        #expect(retried.first?.attempts == 1)
        // A lease that ran out (its process died) hands the item out again.
        #expect(
            try outbox.claimDue(at: 21 + 61, limit: 50, lease: 60).map { String(decoding: $0.payload, as: UTF8.self) }.sorted() == [
                "third", "transition",
            ])
        try outbox.reschedule(id: claimed[0].id, next: nil, error: "HTTP 400")
        #expect(try outbox.pendingCount() == 2)
    }

    @Test(arguments: TestPostgres.engines)
    func exactlyOneProcessLeadsTheMonitor(engine: Store.Engine) throws {
        let test = try TestStore.fresh(engine)
        let first = test.store.leadership
        #expect(first.holdsLead())
        #expect(first.holdsLead())
        guard engine == .postgres else { return }
        let second = try test.replica("replica-2")
        #expect(!second.leadership.holdsLead())
    }
}
