import Hummingbird
import NIOCore

/// Where the jobs of a connection that was alone at its first request run: on its event loop's thread
/// while it is still the only open connection, and on Swift's global pool, as any other connection's,
/// once others are open.
///
/// The choice is made for each job, so a lone connection that gains company leaves its loop at its next
/// suspension rather than holding the loop for as long as it stays open.
final class LoneConnectionExecutor: TaskExecutor {
    private let eventLoop: any EventLoop
    private let open: OpenConnections

    init(eventLoop: any EventLoop, open: OpenConnections) {
        self.eventLoop = eventLoop
        self.open = open
    }

    func enqueue(_ job: consuming ExecutorJob) {
        guard open.lone else { return globalConcurrentExecutor.enqueue(job) }
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension LoneConnectionExecutor {
    /// The executor of the lone connection whose request this task is serving, if any.
    @TaskLocal static var current: LoneConnectionExecutor?

    /// Bodies up to this size, declared by `Content-Length` and not compressed, are read, predicted
    /// and answered on a lone connection's loop: about 700 rows of four features as JSON, well under
    /// a millisecond of work.
    static let largestLoopBody = 16 * 1024

    /// Runs `work` on Swift's global pool when it serves a lone connection and `request` is heavier
    /// than the loop should carry: a body over `largestLoopBody`, compressed, of unknown length, or
    /// none at all (dashboard pages, metrics). Any other request runs `work` where it is.
    static func offLoopIfHeavy<Result>(_ request: Request, _ work: () async throws -> Result) async throws -> Result {
        guard current != nil, !isLight(request) else { return try await work() }
        return try await withTaskExecutorPreference(globalConcurrentExecutor) { try await work() }
    }

    private static func isLight(_ request: Request) -> Bool {
        guard request.headers.first(.contentEncoding) == nil, let length = request.headers.first(.contentLength).flatMap({ Int($0) }) else { return false }
        return length <= largestLoopBody
    }
}
