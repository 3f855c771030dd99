import AsyncHTTPClient
import Dispatch
public import FoundationEssentials
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle
import VigilModels
public import VigilStore

/// Delivers the notification outbox: POSTs each due item, retries with exponential backoff on
/// timeouts, connection errors and 5xx, honours `Retry-After` on 429, and gives up on other 4xx.
/// Items live in the store, so a restart resumes where delivery stopped. Never on the request path.
/// Each round claims its items from the store for a lease, so replicas sharing a store (fleet mode)
/// never post the same item twice.
public struct OutboxDelivery: Service {
    public let outbox: any OutboxStore
    public let interval: Duration
    public let timeout: Duration
    /// The first retry waits this long; each later one twice as long, up to `maximumBackoff`.
    public let initialBackoff: Double
    public let maximumBackoff: Double
    let logger: Logger
    /// Items claimed in one round; the round's lease covers a timeout for each, and a margin.
    static let itemsPerRound = 10
    /// The outbox's store calls run here, never on a cooperative thread.
    private let queue = DispatchQueue(label: "vigil.outbox")

    public init(
        outbox: any OutboxStore, interval: Duration = .seconds(1), timeout: Duration = .seconds(5), initialBackoff: Double = 1,
        maximumBackoff: Double = 300, logger: Logger = Logger(label: "vigil.outbox")
    ) {
        self.outbox = outbox
        self.interval = interval
        self.timeout = timeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            _ = await deliverDue()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Tries every item due now once; returns how many were delivered.
    @discardableResult
    public func deliverDue(now: Double = Date().timeIntervalSince1970) async -> Int {
        let outbox = self.outbox
        let items: [OutboxItem]
        let lease = Double(Self.itemsPerRound) * (Double(timeout.components.seconds) + 1) + 30
        switch await runBlocking(on: queue, { Result { try outbox.claimDue(at: now, limit: Self.itemsPerRound, lease: lease) } }) {
        case .success(let due): items = due
        case .failure(let error):
            logger.error("cannot read the notification outbox", metadata: ["error": "\(error)"])
            return 0
        }
        guard !items.isEmpty else { return 0 }
        // A client per round: a pooled client would hold back new connections to a receiver that was
        // down a moment ago, and delivery is rare enough that a fresh pool costs nothing.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await client.shutdown() } }
        var delivered = 0
        for item in items {
            let outcome = await post(item, client: client)
            let wait: Double? =
                switch outcome {
                case .delivered: nil
                case .retry(let after, _): after ?? min(initialBackoff * Double(1 << min(item.attempts, 30)), maximumBackoff)
                case .giveUp: nil
                }
            let stored = await runBlocking(on: queue) {
                Result {
                    switch outcome {
                    case .delivered: try outbox.markDelivered(id: item.id, at: now)
                    case .retry(_, let reason): try outbox.reschedule(id: item.id, next: now + (wait ?? 0), error: reason)
                    case .giveUp(let reason): try outbox.reschedule(id: item.id, next: nil, error: reason)
                    }
                }
            }
            if case .failure(let error) = stored {
                logger.error("cannot update the notification outbox", metadata: ["error": "\(error)"])
                continue
            }
            switch outcome {
            case .delivered:
                delivered += 1
            case .retry(_, let reason):
                logger.warning(
                    "notification not delivered; will retry",
                    metadata: [
                        "receiver": "\(ReceiverAddress.redacted(item.receiver))", "in_seconds": "\(wait ?? 0)", "reason": "\(reason)",
                    ])
            case .giveUp(let reason):
                logger.error(
                    "notification rejected by receiver; not retrying",
                    metadata: ["receiver": "\(ReceiverAddress.redacted(item.receiver))", "reason": "\(reason)"])
            }
        }
        return delivered
    }

    enum Outcome: Sendable {
        case delivered
        case retry(after: Double?, reason: String)
        case giveUp(String)
    }

    private func post(_ item: OutboxItem, client: HTTPClient) async -> Outcome {
        var request = HTTPClientRequest(url: item.receiver)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: item.contentType)
        request.headers.add(name: "User-Agent", value: "vigil")
        request.body = .bytes(ByteBuffer(bytes: item.payload))
        do {
            let response = try await client.execute(
                request,
                timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            let status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            switch status {
            case 200..<300:
                return .delivered
            case 429:
                return .retry(after: response.headers.first(name: "Retry-After").flatMap(Self.retryAfterSeconds), reason: "HTTP 429")
            case 500..<600, 408:
                return .retry(after: response.headers.first(name: "Retry-After").flatMap(Self.retryAfterSeconds), reason: "HTTP \(status)")
            default:
                return .giveUp("HTTP \(status)")
            }
        } catch {
            return .retry(after: nil, reason: "\(error)")
        }
    }

    /// `Retry-After` as seconds: a number of seconds, or an HTTP date.
    public static func retryAfterSeconds(_ value: String) -> Double? {
        if let seconds = Double(value.trimmingWhitespace()), seconds >= 0 { return seconds }
        guard let date = HTTPDate.secondsSince1970(value.trimmingWhitespace()) else { return nil }
        return max(date - Date().timeIntervalSince1970, 0)
    }
}

extension OutboxDelivery: NamedService {
    public static var serviceName: String { "OutboxDelivery" }
}
