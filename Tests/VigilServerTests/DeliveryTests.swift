import Foundation
import HummingbirdTesting
import Testing
import VigilMonitor
import VigilStore

/// The outbox delivers late rather than never, and never twice.
@Suite(.serialized)
struct DeliveryTests {
    func outbox() throws -> (SQLiteOutboxStore, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("outbox.sqlite").path
        return (SQLiteOutboxStore(database: try Database(path: path)), path)
    }

    /// The delivery timeout for tests about backoff and status codes, not timeouts: long enough that a
    /// loopback answer on a CI machine busy with the rest of the suite is never taken for a timeout
    /// (the default 5 s was, once: the attempt counted as failed and was sent again).
    static let patientTimeout = Duration.seconds(30)

    func enqueue(_ outbox: SQLiteOutboxStore, port: Int) throws {
        try outbox.enqueue(
            receiver: "http://127.0.0.1:\(port)/hook", contentType: "application/json", payload: Array(#"{"n":1}"#.utf8),
            at: Date().timeIntervalSince1970)
    }

    /// `ServiceGroup` logs a service as `"\(service)"`: the delivery is its name, not every stored
    /// property printed through reflection.
    @Test func theServiceIsDescribedByItsName() throws {
        let (outbox, _) = try outbox()
        #expect("\(OutboxDelivery(outbox: outbox, timeout: Self.patientTimeout))" == "OutboxDelivery")
    }

    @Test func aServerErrorIsRetriedWithBackoffUntilItSucceeds() async throws {
        let receiver = WebhookReceiver(script: [500, 503])
        let (outbox, _) = try outbox()
        let delivery = OutboxDelivery(outbox: outbox, timeout: Self.patientTimeout, initialBackoff: 1)
        try await receiver.application().test(.live) { client async throws in
            try enqueue(outbox, port: try #require(client.port))
            let now = Date().timeIntervalSince1970
            #expect(await delivery.deliverDue(now: now) == 0)
            // Backoff: not due again within the first second, due after it; then twice as long.
            #expect(await delivery.deliverDue(now: now + 0.5) == 0)
            #expect(await delivery.deliverDue(now: now + 1.5) == 0)
            #expect(await delivery.deliverDue(now: now + 2.5) == 0)
            #expect(await delivery.deliverDue(now: now + 4) == 1)
            #expect(await delivery.deliverDue(now: now + 100) == 0)
        }
        #expect(receiver.deliveries.count == 3)
        #expect(try outbox.pendingCount() == 0)
    }

    @Test func aReceiverThatIsDownGetsTheNotificationLaterEvenAfterARestart() async throws {
        // Find a free port, then leave nothing listening on it.
        let port = try await WebhookReceiver().application().test(.live) { client async throws in try #require(client.port) }
        let (outbox, path) = try outbox()
        try enqueue(outbox, port: port)
        let now = Date().timeIntervalSince1970
        #expect(await OutboxDelivery(outbox: outbox, timeout: .milliseconds(500)).deliverDue(now: now) == 0)
        #expect(try outbox.pendingCount() == 1)
        // "Restart": a new connection and a new delivery service over the same file.
        let restarted = OutboxDelivery(outbox: SQLiteOutboxStore(database: try Database(path: path)), timeout: Self.patientTimeout)
        let receiver = WebhookReceiver()
        try await receiver.serving(port: port) {
            #expect(await restarted.deliverDue(now: now + 10) == 1)
        }
        #expect(receiver.deliveries.map(\.body) == [Array(#"{"n":1}"#.utf8)])
        #expect(try restarted.outbox.pendingCount() == 0)
    }

    @Test func retryAfterOn429IsHonoured() async throws {
        let receiver = WebhookReceiver(script: [429], retryAfter: "120")
        let (outbox, _) = try outbox()
        let delivery = OutboxDelivery(outbox: outbox, timeout: Self.patientTimeout, initialBackoff: 1)
        try await receiver.application().test(.live) { client async throws in
            try enqueue(outbox, port: try #require(client.port))
            let now = Date().timeIntervalSince1970
            #expect(await delivery.deliverDue(now: now) == 0)
            // Exponential backoff alone would retry after a second; Retry-After says two minutes.
            #expect(await delivery.deliverDue(now: now + 60) == 0)
            #expect(await delivery.deliverDue(now: now + 125) == 1)
        }
    }

    @Test func aClientErrorIsNotRetried() async throws {
        let receiver = WebhookReceiver(script: [404])
        let (outbox, _) = try outbox()
        let delivery = OutboxDelivery(outbox: outbox, timeout: Self.patientTimeout)
        try await receiver.application().test(.live) { client async throws in
            try enqueue(outbox, port: try #require(client.port))
            #expect(await delivery.deliverDue() == 0)
            #expect(await delivery.deliverDue(now: Date().timeIntervalSince1970 + 86_400) == 0)
        }
        #expect(receiver.deliveries.count == 1)
    }

    @Test func retryAfterAcceptsSecondsAndHTTPDates() {
        #expect(OutboxDelivery.retryAfterSeconds("30") == 30)
        let future = Date().addingTimeInterval(90)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        let seconds = OutboxDelivery.retryAfterSeconds(formatter.string(from: future)) ?? 0
        #expect(seconds > 80 && seconds <= 90)
        #expect(OutboxDelivery.retryAfterSeconds("soon") == nil)
    }
}
