extension Array where Element: BitwiseCopyable {
    /// `Array(unsafeUninitializedCapacity:initializingWith:)`, allocated through the array's
    /// specialized path. The standard initializer allocates through an unspecialized generic function
    /// that looks the storage type up at run time, which matters on the many small arrays a one-row
    /// prediction makes. Up to 1 KiB, the elements are written on the stack and copied into an array
    /// allocated the specialized way; larger arrays take the standard path, where the lookup is lost
    /// in the work.
    @inlinable
    public init(directCapacity capacity: Int, initializingWith initializer: (inout UnsafeMutableBufferPointer<Element>, inout Int) -> Void)
    {
        guard capacity <= 1024 / Swift.max(MemoryLayout<Element>.stride, 1) else {
            self.init(unsafeUninitializedCapacity: capacity, initializingWith: initializer)
            return
        }
        self = withUnsafeTemporaryAllocation(of: Element.self, capacity: capacity) { temporary in
            var buffer = temporary
            var initialized = 0
            initializer(&buffer, &initialized)
            precondition((0...capacity).contains(initialized), "initialized count must be in 0...capacity")
            return Array(UnsafeMutableBufferPointer(rebasing: temporary[..<initialized]))
        }
    }

    /// `Array(repeating:count:)` through the same path as `init(directCapacity:initializingWith:)`.
    @inlinable
    public init(directRepeating value: Element, count: Int) {
        self.init(directCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: value)
            initialized = count
        }
    }
}
