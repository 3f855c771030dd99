import NIOCore

/// Where the jobs of a connection that opened alone run: on its event loop's thread while it is still
/// the only open connection, and on Swift's global pool, as any other connection's, once others are open.
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
