import Dispatch

/// Runs blocking work (SQLite calls) on `queue` and awaits its result, so no cooperative thread
/// waits on a busy database.
func runBlocking<T: Sendable>(on queue: DispatchQueue, _ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        queue.async {
            let result = work()
            continuation.resume(returning: result)
        }
    }
}
