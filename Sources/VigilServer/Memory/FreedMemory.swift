import CMallocTuning
import ServiceLifecycle
import Synchronization

/// Large request bodies, and the memory they leave behind.
///
/// `vigil serve` keeps freed blocks of up to 2 MiB in the process (`vigil_keep_freed_memory`), so
/// that batches do not page-fault their buffers in on every request. After a large body, free pages
/// stay between the blocks still in use: so a body of a mebibyte or more is noted here, and
/// `FreedMemoryTrimmer` gives them back (`malloc_trim`) a second after the last one, off the request path.
enum FreedMemory {
    /// The body size from which a request is worth a trim afterwards.
    static let largeBodyBytes = 1 << 20

    /// When the last large body arrived (nanoseconds on the continuous clock), or 0 when none is pending.
    private static let lastLargeBody = Atomic<Int64>(0)

    /// Notes a request body of `bytes`.
    static func noteBody(bytes: Int) {
        guard bytes >= largeBodyBytes else { return }
        lastLargeBody.store(max(now(), 1), ordering: .relaxed)
    }

    /// Trims when a large body arrived at least `quiet` ago and none since; true when it trimmed.
    @discardableResult
    static func trimIfQuiet(for quiet: Duration) -> Bool {
        let last = lastLargeBody.load(ordering: .relaxed)
        guard last != 0, now() - last >= quiet.nanoseconds else { return false }
        // Cleared only if no new large body came meanwhile; that one gets its own trim later.
        guard lastLargeBody.compareExchange(expected: last, desired: 0, ordering: .relaxed).exchanged else { return false }
        vigil_trim_freed_memory()
        return true
    }

    /// Nanoseconds since the first use.
    private static func now() -> Int64 {
        epoch.duration(to: .now).nanoseconds
    }

    private static let epoch = ContinuousClock.now
}

/// Runs `FreedMemory.trimIfQuiet` twice a second, for the life of the server.
struct FreedMemoryTrimmer: Service {
    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            FreedMemory.trimIfQuiet(for: .seconds(1))
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
        }
    }
}
