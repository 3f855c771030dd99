import Foundation
import Testing

/// Debian's Alertmanager on a loopback port, fed by a live Vigil through `--alertmanager-url`:
/// a drift scenario fires an alert Alertmanager lists, and normal data resolves it there.
@Suite(
    .serialized,
    .enabled(if: LoopbackServer.alertmanager != nil || ProcessInfo.processInfo.environment["CI"] != nil, "needs prometheus-alertmanager"))
struct AlertmanagerTests {

    static func startAlertmanager(folder: URL) throws -> LoopbackServer {
        guard let binary = LoopbackServer.alertmanager else {
            throw ProcessFailure("prometheus-alertmanager is not installed; .ci/run installs it")
        }
        let configuration = folder.appendingPathComponent("alertmanager.yml")
        try """
        route:
          receiver: "null"
        receivers:
          - name: "null"
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let port = LoopbackServer.freePort()
        return try LoopbackServer(
            executable: binary,
            arguments: [
                "--config.file=\(configuration.path)", "--storage.path=\(folder.appendingPathComponent("am-data").path)",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
            ], port: port, readyPath: "/-/ready")
    }

    /// Alertmanager's active alerts (`GET /api/v2/alerts`).
    static func alerts(_ alertmanager: LoopbackServer) throws -> [[String: Any]] {
        let (status, body) = try Curl.run(["http://127.0.0.1:\(alertmanager.port)/api/v2/alerts"])
        guard status == 200 else { throw ProcessFailure("Alertmanager answered \(status): \(body)") }
        return (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]]) ?? []
    }

    static func alert(_ alerts: [[String: Any]], model: String, feature: String) -> [String: Any]? {
        alerts.first { alert in
            let labels = alert["labels"] as? [String: String]
            return labels?["model"] == model && labels?["feature"] == feature
        }
    }

    @Test func aDriftAlertFiresInAlertmanagerAndResolvesThereWhenTheDataReturnsToNormal() throws {
        let repository = try TestRepository(includeBroken: false)
        try DriftModels.write(into: repository)
        let alertmanager = try Self.startAlertmanager(folder: repository.directory)
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--db", repository.directory.appendingPathComponent("vigil.sqlite").path,
            "--window", "1s", "--flush-interval", "200ms", "--drift-interval", "1s", "--alert-for", "1",
            "--alertmanager-url", "http://127.0.0.1:\(alertmanager.port)", "--external-url", "https://vigil.example.com/ml",
        ])
        var gaussian = Gaussian(seed: 21)
        #expect(try vigil.post("/v2/models/shifty/infer", DriftModels.batch(2500, shift: 1, gaussian: &gaussian)).0 == 200)
        var fired: [String: Any]?
        _ = try vigil.wait(seconds: 30) {
            fired = Self.alert(try Self.alerts(alertmanager), model: "shifty", feature: "x1")
            return fired != nil
        }
        let alert = try #require(fired, "Alertmanager never listed shifty/x1: \(vigil.log.suffix(3000))")
        let labels = alert["labels"] as? [String: String]
        #expect(labels?["alertname"] == "VigilDrift")
        #expect(labels?["service"] == "vigil")
        #expect((alert["status"] as? [String: Any])?["state"] as? String == "active")
        let link = alert["generatorURL"] as? String ?? ""
        #expect(link.hasPrefix("https://vigil.example.com/ml/dashboard/models/shifty?since="), "\(link)")
        #expect(((alert["annotations"] as? [String: String])?["summary"] ?? "").contains("shifty/x1"))
        // A firing alert is valid for minutes, so only Vigil's resolved message can end it below.
        let endsAt = try #require((alert["endsAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        #expect(endsAt.timeIntervalSinceNow > 120, "endsAt \(endsAt)")
        // The unshifted features never fire.
        #expect(Self.alert(try Self.alerts(alertmanager), model: "shifty", feature: "x3") == nil)

        // The data returns to normal: shifty's window is its last 2000 rows. A pause first, so the
        // normal rows start a one-second window of their own instead of joining the shifted one.
        Thread.sleep(forTimeInterval: 1.2)
        #expect(try vigil.post("/v2/models/shifty/infer", DriftModels.batch(2500, gaussian: &gaussian)).0 == 200)
        let resolved = try vigil.wait(seconds: 60) {
            Self.alert(try Self.alerts(alertmanager), model: "shifty", feature: "x1") == nil
        }
        #expect(resolved, "shifty/x1 still active in Alertmanager: \(vigil.log.suffix(3000))")
        #expect(vigil.log.contains("alert firing → resolved") || vigil.log.contains("→ resolved"), "\(vigil.log.suffix(2000))")
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }
}

extension LoopbackServer {
    /// Debian's Alertmanager binary, if installed.
    static let alertmanager = which("prometheus-alertmanager") ?? which("alertmanager")
}
