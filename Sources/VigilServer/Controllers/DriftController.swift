import Foundation
import Hummingbird
import VigilStore

/// Drift reports and alerts: `/v1/models/{name}/drift[/history]`, `/v1/alerts`, `/v1/alerts/{id}/ack`.
struct DriftController<Context: RequestContext> {
    let repository: ModelRepository
    let database: Database?

    func addRoutes(to group: RouterGroup<Context>, admin: RouterGroup<Context>) {
        group.get("models/{name}/drift") { _, context in
            let (name, reports) = try target(context)
            guard let latest = try reports.latest(model: name) else {
                throw VigilError.notFound("no drift report for model '\(name)' yet; the monitor runs every --drift-interval once requests arrive")
            }
            return Self.json(latest.body)
        }
        group.get("models/{name}/drift/history") { request, context in
            let (name, reports) = try target(context)
            let since = try Self.time(request.uri.queryParameters.get("since"), name: "since") ?? 0
            let until = try Self.time(request.uri.queryParameters.get("until"), name: "until") ?? Date().timeIntervalSince1970 + 1
            guard since <= until else { throw VigilError.badRequest("since must not be after until") }
            let history = try reports.history(model: name, since: since, until: until)
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
            let alerts = try AlertStore(database: try requireDatabase()).alerts(state: state)
            return try JSONResponse.make(["alerts": alerts])
        }
        admin.post("ack") { _, context in
            guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                throw VigilError.badRequest("the alert id must be a positive whole number")
            }
            let alerts = AlertStore(database: try requireDatabase())
            guard try alerts.acknowledge(id: id, at: Date().timeIntervalSince1970), let alert = try alerts.alert(id: id) else {
                throw VigilError.notFound("no alert \(id)")
            }
            return try JSONResponse.make(alert)
        }
    }

    static var off: VigilError { VigilError(.notFound, "drift monitoring is off because feature logging is off (--feature-log false)") }

    private func requireDatabase() throws(VigilError) -> Database {
        guard let database else { throw Self.off }
        return database
    }

    private func store() throws(VigilError) -> DriftReportStore {
        DriftReportStore(database: try requireDatabase())
    }

    private func target(_ context: Context) throws -> (String, DriftReportStore) {
        let name = context.parameters.get("name") ?? ""
        let reports = try store()
        _ = try repository.requireEntry(named: name)
        return (name, reports)
    }

    static func json(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A time given as seconds since 1970 or as ISO 8601.
    static func time(_ text: String?, name: String) throws(VigilError) -> Double? {
        guard let text, !text.isEmpty else { return nil }
        if let seconds = Double(text) { return seconds }
        if let date = try? Date(text, strategy: .iso8601) { return date.timeIntervalSince1970 }
        throw VigilError.badRequest("\(name) must be seconds since 1970 or an ISO 8601 time such as 2026-11-22T10:00:00Z, not '\(text.prefix(40))'")
    }
}
