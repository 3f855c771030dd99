import FoundationEssentials
import Hummingbird
import VigilMonitor
import VigilStore

/// Drift reports and alerts: `/v1/models/{name}/drift[/history]`, `/v1/alerts`, `/v1/alerts/{id}/ack`.
/// Every store call runs on the store's queue, off the event loops.
struct DriftController<Context: RequestContext> {
    let repository: ModelRepository
    let store: StoreQueue?
    let featureLog: FeatureLog?

    func addRoutes(to group: RouterGroup<Context>, admin: RouterGroup<Context>) {
        group.get("models/{name}/drift") { _, context in
            let (name, store) = try target(context)
            if let reason = featureLog?.notMonitoredReason(model: name) {
                return try JSONResponse.make(["model": name, "status": "not_monitored", "reason": reason])
            }
            guard let latest = try await store.run({ try $0.reports.latest(model: name) }) else {
                throw VigilError.notFound(
                    "no drift report for model '\(name)' yet; the monitor runs every --drift-interval once requests arrive")
            }
            return Self.json(latest.body)
        }
        group.get("models/{name}/drift/history") { request, context in
            let (name, store) = try target(context)
            let since = try QueryTime.parse(request.uri.queryParameters.get("since"), name: "since") ?? 0
            let until = try QueryTime.parse(request.uri.queryParameters.get("until"), name: "until") ?? Date().timeIntervalSince1970 + 1
            guard since <= until else { throw VigilError.badRequest("since must not be after until") }
            let history = try await store.run { try $0.reports.history(model: name, since: since, until: until) }
            var body = Array(#"{"model":"#.utf8) + Array((try JSONEncoder().encode(name)))
            body += Array(#","reports":["#.utf8)
            for (index, report) in history.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body += report.body
            }
            body += Array("]}".utf8)
            return Self.json(body)
        }
        group.get("alerts") { request, _ in
            let state = request.uri.queryParameters.get("state")
            let known = ["pending", "firing", "resolved", "inactive"]
            if let state, !known.contains(state) {
                throw VigilError.badRequest("state must be one of \(known.joined(separator: ", ")), not '\(state.prefix(32))'")
            }
            let alerts = try await requireStore().run { try $0.alerts.alerts(state: state) }
            return try JSONResponse.make(["alerts": alerts])
        }
        admin.post("ack") { _, context in
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw VigilError.badRequest("the alert id must be a positive whole number")
            }
            let alert = try await requireStore().run { store -> AlertRecord? in
                let alerts = store.alerts
                guard try alerts.acknowledge(id: id, at: Date().timeIntervalSince1970) else { return nil }
                return try alerts.alert(id: id)
            }
            guard let alert else { throw VigilError.notFound("no alert \(id)") }
            return try JSONResponse.make(alert)
        }
    }

    static var off: VigilError { VigilError(.notFound, "drift monitoring is off because feature logging is off (--feature-log false)") }

    private func requireStore() throws(VigilError) -> StoreQueue {
        guard let store else { throw Self.off }
        return store
    }

    private func target(_ context: Context) throws(VigilError) -> (String, StoreQueue) {
        let name = context.parameters.get("name") ?? ""
        let store = try requireStore()
        _ = try repository.requireEntry(named: name)
        return (name, store)
    }

    static func json(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// A time in a query string: seconds since 1970 or ISO 8601.
enum QueryTime {
    static func parse(_ text: String?, name: String) throws(VigilError) -> Double? {
        guard let text, !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite { return seconds }
        if let date = try? Date(text, strategy: .iso8601) { return date.timeIntervalSince1970 }
        throw VigilError.badRequest(
            "\(name) must be seconds since 1970 or an ISO 8601 time such as 2026-11-22T10:00:00Z, not '\(text.prefix(40))'")
    }
}
