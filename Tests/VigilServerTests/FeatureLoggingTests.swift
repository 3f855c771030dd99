import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilModels
import VigilMonitor
import VigilServer
import VigilStats
import VigilStore

/// Served requests end up in the SQLite file as windows with exactly the right counts.
struct FeatureLoggingTests {
    /// `count` rows spread over and beyond the iris ranges, deterministic.
    static func rows(_ count: Int) -> [[Double]] {
        var generator = SplitMix64(seed: 11)
        return (0..<count).map { _ in
            [
                Double.random(in: 3.5...8.5, using: &generator), Double.random(in: 1.5...4.8, using: &generator),
                Double.random(in: 0.5...7.5, using: &generator), Double.random(in: 0...2.8, using: &generator),
            ].map { ($0 * 10).rounded() / 10 }
        }
    }

    @Test func everyBinOfEveryFeatureHasTheCountsSent() async throws {
        let repository = try TestRepository()
        let (app, services) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        let rows = Self.rows(137)
        let labels: [String: Int64] = try await app.test(.router) { client async throws in
            var labels: [String: Int64] = [:]
            // Half through V2 in one batch, the rest through V1 one row at a time.
            let firstHalf = Array(rows.prefix(70))
            let body = #"{"inputs":[{"name":"input","shape":[70,4],"datatype":"FP64","data":\#(firstHalf)}]}"#
            let response = try await client.post("/v2/models/iris/infer", body)
            #expect(response.status == .ok)
            let outputs = try #require(try response.json["outputs"] as? [[String: Any]])
            for label in outputs.first?["data"] as? [String] ?? [] { labels[label, default: 0] += 1 }
            for row in rows.dropFirst(70) {
                let json = try await client.post("/v1/models/iris:predict", #"{"instances":[\#(row)]}"#).json
                for label in json["predictions"] as? [String] ?? [] { labels[label, default: 0] += 1 }
            }
            return labels
        }
        let writer = try #require(services.writer)
        #expect(writer.flush().failures == 0)

        let database = try Database(path: repository.configuration().databasePath)
        let profile = try #require(try SQLiteReferenceProfileStore(database: database).latest(model: "iris"))
        let windows = try SQLiteFeatureWindowStore(database: database).aggregate(model: "iris", from: 0, to: Int64.max)
        for (index, name) in ["sepal_length", "sepal_width", "petal_length", "petal_width"].enumerated() {
            let column = try #require(profile.column(.input, name))
            let bins = try #require(column.bins)
            let values = rows.map { $0[index] }
            let expected = bins.counts(values).map { Int64($0) }
            let window = try #require(windows[ColumnKey(model: "iris", role: .input, feature: name)])
            #expect(window.slotCounts == expected, "\(name) bins")
            #expect(window.moments.count == 137)
            #expect(window.moments.minimum == values.min() && window.moments.maximum == values.max())
            #expect(abs(window.moments.sum - values.reduce(0, +)) < 1e-9)
            #expect(window.sample.seen == 137)
            #expect(window.profile == profile.fingerprint)
        }
        let label = try #require(windows[ColumnKey(model: "iris", role: .output, feature: "label")])
        #expect(label.categories == labels)
        #expect(labels.values.reduce(0, +) == 137)
        #expect(try database.integrityCheck() == "ok")
    }

    @Test func bundledReferenceGivesTheProfileItsOwnBinsAndOutputs() throws {
        let repository = try TestRepository()
        let (_, services) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        services.writer?.flush()
        let database = try Database(path: repository.configuration().databasePath)
        let profile = try #require(try SQLiteReferenceProfileStore(database: database).latest(model: "iris"))
        #expect(profile.rowCount == 150)
        let petal = try #require(profile.column(.input, "petal_length"))
        // Deciles of 150 values: 10 bins, about 15 rows each, none outside the reference range.
        #expect(petal.binCounts.reduce(0, +) == 150)
        #expect(petal.binCounts.first == 0 && petal.binCounts.last == 0)
        // Predicting the training rows: the three iris classes, 50 rows each in truth.
        let label = try #require(profile.column(.output, "label"))
        #expect(Set(label.categories.keys) == ["setosa", "versicolor", "virginica"])
        #expect(label.categories.values.reduce(0, +) == 150)
    }

    @Test func predictionsKeepServingWhileTheDatabaseIsLockedAndCatchUpAfter() async throws {
        let repository = try TestRepository()
        // An hour between the writer service's own flushes: the router test runs the services, and a
        // periodic flush racing the test's flushes could drain a window first and leave them nothing.
        let configuration = repository.configuration {
            $0.busyTimeout = .milliseconds(50)
            $0.flushInterval = .seconds(3600)
        }
        let (app, services) = try buildApplication(configuration: configuration, logger: .quiet)
        let writer = try #require(services.writer)
        writer.flush()
        // Another process's connection holds the write lock.
        let other = try Database(path: configuration.databasePath, busyTimeout: .milliseconds(50))
        try other.withConnection { connection throws(SQLiteError) in try connection.execute("BEGIN EXCLUSIVE") }
        let body = #"{"inputs":[{"name":"input","shape":[2,2],"datatype":"FP32","data":[[1,2],[3,4]]}]}"#
        try await app.test(.router) { client async throws in
            for _ in 0..<5 { #expect(try await client.post("/v2/models/reg32/infer", body).status == .ok) }
            #expect(writer.flush().failures > 0)
            for _ in 0..<5 { #expect(try await client.post("/v2/models/reg32/infer", body).status == .ok) }
            #expect(writer.flush().failures > 0)
            let metrics = String(buffer: try await client.get("/metrics").body)
            #expect(metrics.contains("vigil_feature_log_write_failures_total"))
        }
        try other.withConnection { connection throws(SQLiteError) in try connection.execute("ROLLBACK") }
        #expect(writer.flush().failures == 0)
        let windows = try SQLiteFeatureWindowStore(database: other).aggregate(model: "reg32", from: 0, to: Int64.max)
        #expect(windows[ColumnKey(model: "reg32", role: .input, feature: "a")]?.moments.count == 20)
        #expect(windows[ColumnKey(model: "reg32", role: .output, feature: "predictions")]?.moments.count == 20)
    }

    @Test func aReloadBetweenFlushesLosesNoCounts() async throws {
        let repository = try TestRepository()
        let (app, services) = try buildApplication(configuration: repository.configuration(), logger: .quiet)
        let body = #"{"inputs":[{"name":"input","shape":[2,2],"datatype":"FP32","data":[[1,2],[3,4]]}]}"#
        try await app.test(.router) { client async throws in
            for _ in 0..<5 { _ = try await client.post("/v2/models/reg32/infer", body) }
            services.repository.load(name: "reg32")
            for _ in 0..<5 { _ = try await client.post("/v2/models/reg32/infer", body) }
        }
        #expect(services.writer?.flush().failures == 0)
        let database = try Database(path: repository.configuration().databasePath)
        let windows = try SQLiteFeatureWindowStore(database: database).aggregate(model: "reg32", from: 0, to: Int64.max)
        #expect(windows[ColumnKey(model: "reg32", role: .input, feature: "b")]?.moments.count == 20)
        #expect(windows[ColumnKey(model: "reg32", role: .input, feature: "b")]?.slotCounts.reduce(0, +) == 20)
    }

    @Test func sampledPayloadsReachTheDatabase() async throws {
        let repository = try TestRepository()
        let (app, services) = try buildApplication(configuration: repository.configuration { $0.payloadRate = 1 }, logger: .quiet)
        let body = #"{"inputs":[{"name":"input","shape":[2,2],"datatype":"FP32","data":[[1,2],[3,4]]}]}"#
        try await app.test(.router) { client async throws in
            #expect(try await client.post("/v2/models/reg32/infer", body).status == .ok)
        }
        #expect(services.writer?.flush().failures == 0)
        let database = try Database(path: repository.configuration().databasePath)
        let payloads = try database.withConnection { connection throws(SQLiteError) in
            try connection.prepare("SELECT model, features, outputs FROM payload_samples ORDER BY id").rows { row in
                [row.string(0) ?? "", row.string(1) ?? "", row.string(2) ?? ""]
            }
        }
        #expect(payloads == [["reg32", #"{"a":1,"b":2}"#, #"{"predictions":9}"#], ["reg32", #"{"a":3,"b":4}"#, #"{"predictions":19}"#]])
    }

    @Test func featureLoggingOffWritesNothing() async throws {
        let repository = try TestRepository()
        let (_, services) = try buildApplication(configuration: repository.configuration { $0.featureLogging = false }, logger: .quiet)
        #expect(services.writer == nil)
        #expect(!FileManager.default.fileExists(atPath: repository.configuration().databasePath))
    }
}
