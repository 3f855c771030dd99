#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A reference kept per thread, in thread-specific storage: each thread sees the one it stored last,
/// retained until it stores another or ends. For state that the request path reads on every request
/// and that no other thread needs, read without a lock.
final class ThreadSlot<Value: AnyObject>: Sendable {
    private let key: pthread_key_t

    init() {
        var key = pthread_key_t()
        // Keys run out only after about a thousand live instances; there are a few per server.
        precondition(pthread_key_create(&key) { stored in
            guard let stored else { return }
            Unmanaged<AnyObject>.fromOpaque(stored).release()
        } == 0, "no thread-specific key left")
        self.key = key
    }

    deinit {
        // glibc hands out a deleted key again with a new sequence number, so a thread never reads
        // a value stored under the old one; those values are left to the threads' ends.
        pthread_key_delete(key)
    }

    /// The calling thread's reference, not retained: valid until this thread stores another.
    var current: Unmanaged<Value>? {
        pthread_getspecific(key).map { Unmanaged.fromOpaque($0) }
    }

    /// Keeps `value` for the calling thread, and releases the one it replaces.
    func store(_ value: Value) {
        if let old = pthread_getspecific(key) { Unmanaged<AnyObject>.fromOpaque(old).release() }
        pthread_setspecific(key, Unmanaged.passRetained(value).toOpaque())
    }
}
