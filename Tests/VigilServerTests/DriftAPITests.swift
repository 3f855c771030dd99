import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilMonitor
import VigilServer

/// The drift and alert endpoints, the drift gauges, and the monitor running on its own timer.
@Suite(.serialized)
struct DriftAPITests {
    func setUp(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) throws -> ServerConfiguration {
        let repository = try TestRepository(includeBroken: false)
        try DriftModels.write(into: repository)
        return repository.configuration { configuration in
            configuration.window = .seconds(1)
            configuration.alertFor = 1
            adjust(&configuration)
        }
    }

    @Test func reportsHistoryAlertsAcknowledgementAndGauges() async throws {
        let configuration = try setUp()
        let (app, services) = try buildApplication(configuration: configuration, logger: .quiet)
        var gaussian = Gaussian(seed: 21)
        let shifted = DriftModels.batch(1500, shift: 1, gaussian: &gaussian)
        try await app.test(.router) { client async throws in
            #expect(try await client.get("/v1/models/shifty/drift").status == .notFound)
            #expect(try await client.post("/v2/models/shifty/infer", shifted).status == .ok)
            services.writer?.flush()
            let now = Date().timeIntervalSince1970
            services.monitor?.runOnce(now: now)
            services.monitor?.runOnce(now: now + 30)

            let latest = try await client.get("/v1/models/shifty/drift").json
            #expect(latest["model"] as? String == "shifty")
            #expect(abs((latest["createdAt"] as? Double ?? 0) - (now + 30)) < 1e-3)
            #expect(latest["rows"] as? Int == 1500)
            let features = try #require(latest["features"] as? [[String: Any]])
            #expect(features.map { $0["name"] as? String } == ["x1", "x2", "x3", "c"])
            #expect(features.first?["drifted"] as? Bool == true)
            #expect(features.first?["test"] as? String == "ks")
            #expect((latest["predictions"] as? [[String: Any]])?.first?["name"] as? String == "predictions")

            let history = try await client.get("/v1/models/shifty/drift/history?since=\(now - 1)&until=\(now + 10)").json
            #expect((history["reports"] as? [[String: Any]])?.count == 1)
            // The second run is stamped 30 s ahead of the clock, past the default `until` of now.
            #expect((try await client.get("/v1/models/shifty/drift/history").json["reports"] as? [[String: Any]])?.count == 1)
            let all = try await client.get("/v1/models/shifty/drift/history?until=\(now + 100)").json
            #expect((all["reports"] as? [[String: Any]])?.count == 2)
            let iso = try await client.get("/v1/models/shifty/drift/history?since=2020-01-01T00:00:00Z&until=2100-01-01T00:00:00Z").json
            #expect((iso["reports"] as? [[String: Any]])?.count == 2)
            #expect(try await client.get("/v1/models/shifty/drift/history?since=yesterday").status == .badRequest)
            #expect(try await client.get("/v1/models/ghost/drift").status == .notFound)

            let firing = try #require(try await client.get("/v1/alerts?state=firing").json["alerts"] as? [[String: Any]])
            let x1 = try #require(firing.first { $0["feature"] as? String == "x1" })
            let id = try #require(x1["id"] as? Int)
            #expect(try await client.get("/v1/alerts?state=loud").status == .badRequest)
            #expect(try await client.post("/v1/alerts/\(id)/ack", "{}").status == .unauthorized)
            let acked = try await client.post("/v1/alerts/\(id)/ack", "{}", headers: [.authorization: "Bearer s3cret"])
            #expect(acked.status == .ok)
            #expect(try acked.json["acknowledgedAt"] as? Double != nil)
            #expect(try await client.post("/v1/alerts/999999/ack", "{}", headers: [.authorization: "Bearer s3cret"]).status == .notFound)

            let metrics = String(buffer: try await client.get("/metrics").body)
            #expect(metrics.contains(#"vigil_alert_firing{model="shifty",feature="x1"} 1"#))
            #expect(metrics.contains(#"vigil_alert_firing{model="shifty",feature="x2"} 0"#))
            #expect(metrics.contains(#"vigil_dataset_drift{model="shifty"}"#))
            #expect(metrics.contains(#"vigil_feature_drift_score{model="shifty",feature="x1",test="wasserstein"}"#))
            #expect(metrics.contains(#"vigil_feature_drift_score{model="shifty",feature="c",test="chi2"}"#))
        }
    }

    @Test func theMonitorRunsOnItsTimerInsideTheServer() async throws {
        let configuration = try setUp { configuration in
            configuration.flushInterval = .milliseconds(100)
            configuration.driftInterval = .milliseconds(200)
        }
        let (app, _) = try buildApplication(configuration: configuration, logger: .quiet)
        var gaussian = Gaussian(seed: 22)
        let body = DriftModels.batch(500, gaussian: &gaussian)
        try await app.test(.live) { client async throws in
            #expect(try await client.post("/v2/models/shifty/infer", body).status == .ok)
            var report: [String: Any] = [:]
            for _ in 0..<50 where report["rows"] as? Int != 500 {
                try await Task.sleep(for: .milliseconds(100))
                let response = try await client.get("/v1/models/shifty/drift")
                if response.status == .ok { report = try response.json }
            }
            #expect(report["rows"] as? Int == 500)
            #expect(report["status"] as? String == "ok")
        }
    }
}
