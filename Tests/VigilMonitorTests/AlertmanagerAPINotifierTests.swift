import Foundation
import Testing

@testable import VigilMonitor

struct AlertmanagerAPINotifierTests {
    @Test func thePayloadIsTheListOfAlertsAlertmanagersAPITakes() throws {
        let notices = [
            AlertNotice(
                model: "m", feature: "x1", firing: true, startsAt: 1_700_000_000, endsAt: 1_700_000_240, summary: "Drift in m/x1",
                description: "ks corrected p=1e-9", dashboardURL: "https://v/dashboard/models/m?since=1&until=2"),
            AlertNotice(
                model: "m", feature: "x2", firing: false, startsAt: 1_699_999_000, endsAt: 1_700_000_000, summary: "No more drift in m/x2",
                description: ""),
        ]
        let payload = AlertmanagerAPINotifier().payload(for: notices, receiver: "vigil")
        let alerts = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [[String: Any]])
        #expect(alerts.count == 2)
        let firing = alerts[0]
        #expect(
            firing["labels"] as? [String: String] == [
                "alertname": "VigilDrift", "model": "m", "feature": "x1", "severity": "warning", "service": "vigil",
            ])
        #expect(firing["startsAt"] as? String == "2023-11-14T22:13:20Z")
        #expect(firing["endsAt"] as? String == "2023-11-14T22:17:20Z")
        #expect(firing["generatorURL"] as? String == "https://v/dashboard/models/m?since=1&until=2")
        #expect((firing["annotations"] as? [String: String])?["summary"] == "Drift in m/x1")
        // Nothing of the webhook format: no status, no fingerprint (Alertmanager computes its own).
        #expect(firing["status"] == nil && firing["fingerprint"] == nil)
        #expect(alerts[1]["endsAt"] as? String == "2023-11-14T22:13:20Z")
        #expect(alerts[1]["generatorURL"] == nil)
    }

    @Test func theEndpointIsFoundFromTheBaseAddress() {
        #expect(AlertmanagerAPINotifier.alertsEndpoint("http://am:9093") == "http://am:9093/api/v2/alerts")
        #expect(AlertmanagerAPINotifier.alertsEndpoint("http://am:9093/") == "http://am:9093/api/v2/alerts")
        #expect(AlertmanagerAPINotifier.alertsEndpoint("http://am:9093/api/v2/alerts") == "http://am:9093/api/v2/alerts")
        #expect(AlertmanagerAPINotifier.alertsEndpoint("https://proxy/am/") == "https://proxy/am/api/v2/alerts")
    }
}

/// Receiver URLs reach the log without the secrets webhook URLs carry in their path and query.
struct ReceiverAddressTests {
    @Test func aReceiverURLIsLoggedWithoutItsPathOrQuery() {
        #expect(ReceiverAddress.redacted("https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX") == "https://hooks.slack.com/…")
        #expect(ReceiverAddress.redacted("http://127.0.0.1:9093/api/v2/alerts?token=abc") == "http://127.0.0.1:9093/…")
        #expect(ReceiverAddress.redacted("https://user:pass@example.com") == "https://example.com")
        #expect(ReceiverAddress.redacted("http://example.com/?key=1") == "http://example.com/…")
        #expect(ReceiverAddress.redacted("not a url") == "<receiver>")
    }
}
