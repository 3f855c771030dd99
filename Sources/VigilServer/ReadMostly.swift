import Synchronization

/// A value that every request reads and that is replaced rarely (a model load, a new metric label),
/// read without a lock.
///
/// Each thread keeps the copy it last read, tagged with the generation it was read at, in
/// thread-specific storage. A read compares that tag with the current generation (one atomic load)
/// and only after a replacement goes to the shared value, under its lock. A replacement is
/// visible to a thread's next read; a read that began before it may still see the old value, as a
/// read just before the replacement would have. A thread's copy keeps the old value alive until
/// that thread reads again (after a model reload, the old model until each serving thread's next
/// request) or ends.
final class ReadMostly<Value: Sendable>: Sendable {
    private final class Copy {
        let generation: Int
        let value: Value

        init(generation: Int, value: Value) {
            self.generation = generation
            self.value = value
        }
    }

    private let shared: Mutex<(generation: Int, value: Value)>
    private let generation = Atomic<Int>(0)
    /// Each thread's `Copy`, kept until it reads a newer one or ends.
    private let copies = ThreadSlot<Copy>()

    init(_ value: Value) {
        shared = Mutex((0, value))
    }

    /// The current value: the thread's own copy when no replacement happened since it was read.
    func read() -> Value {
        let current = generation.load(ordering: .acquiring)
        if let stored = copies.current {
            let copy = stored.takeUnretainedValue()
            if copy.generation == current { return copy.value }
        }
        let (readGeneration, value) = shared.withLock { ($0.generation, $0.value) }
        copies.store(Copy(generation: readGeneration, value: value))
        return value
    }

    /// Changes the shared value under its lock and starts a new generation, so every thread reads
    /// the change next. For the rare writes only.
    @discardableResult
    func update<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try shared.withLock { state in
            let result = try body(&state.value)
            state.generation += 1
            generation.store(state.generation, ordering: .releasing)
            return result
        }
    }
}
