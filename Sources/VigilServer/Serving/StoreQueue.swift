import Dispatch
import Hummingbird
import Synchronization
public import VigilStore

/// Runs the store work a request makes (reads, and the rare admin write) on the store's own
/// serial queue, never on an event loop, and gives up on work that does not finish within
/// `timeout` with a 503: a locked or slow database (SQLite or PostgreSQL) delays the page that
/// asked, never a prediction on the same loop.
public final class StoreQueue: Sendable {
    public let store: Store
    let timeout: Duration
    /// Reads queued or running; past `maximumPending` a read is refused at once instead of queueing.
    private let pending = Atomic<Int>(0)
    let maximumPending: Int
    private let queue = DispatchQueue(label: "vigil.store.reads")

    public init(store: Store, timeout: Duration = .seconds(3), maximumPending: Int = 64) {
        self.store = store
        self.timeout = timeout
        self.maximumPending = maximumPending
    }

    /// `body`'s result, computed on the store's queue.
    func run<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws(VigilError) -> T {
        guard pending.add(1, ordering: .relaxed).newValue <= maximumPending else {
            pending.subtract(1, ordering: .relaxed)
            throw Self.busy("too many database reads are waiting")
        }
        let result: Result<T, VigilError> = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            queue.async {
                defer { self.pending.subtract(1, ordering: .relaxed) }
                do {
                    once.resume(.success(try body(self.store)))
                } catch let error as SQLiteError where error.isBusy {
                    once.resume(.failure(Self.busy("the database is locked by another connection")))
                } catch let error as StoreError {
                    once.resume(
                        .failure(
                            VigilError(
                                .serviceUnavailable,
                                "the store cannot be read: \(error.message); serving goes on, try this page again shortly",
                                headers: [.retryAfter: "5"])))
                } catch let error as VigilError {
                    once.resume(.failure(error))
                } catch {
                    once.resume(.failure(VigilError(.serviceUnavailable, "the database cannot be read: \(error)")))
                }
            }
            let seconds = timeout.components.seconds
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(timeout.nanoseconds))) {
                once.resume(.failure(Self.busy("the database did not answer within \(seconds) s")))
            }
        }
        return try result.get()
    }

    static func busy(_ reason: String) -> VigilError {
        VigilError(.serviceUnavailable, "\(reason); serving goes on, try this page again shortly", headers: [.retryAfter: "5"])
    }
}

/// A continuation resumed by whichever of the read and its deadline comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<T, VigilError>, Never>?>

    init(_ continuation: CheckedContinuation<Result<T, VigilError>, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ result: Result<T, VigilError>) {
        continuation.withLock { $0.take() }?.resume(returning: result)
    }
}
