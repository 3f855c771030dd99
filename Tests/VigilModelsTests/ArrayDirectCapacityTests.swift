import Testing
import VigilModels

struct ArrayDirectCapacityTests {
    /// On both sides of the 1 KiB written on the stack first: the same elements as the standard
    /// initializers, also when fewer than the capacity are initialized.
    @Test(arguments: [0, 1, 4, 127, 128, 129, 255, 256, 257, 1000, 70_000])
    func directArraysEqualTheStandardOnes(count: Int) {
        let doubles = [Double](directCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Double(index) * 0.5 }
            initialized = count
        }
        #expect(doubles == (0..<count).map { Double($0) * 0.5 })
        let half = [Int32](directCapacity: count) { buffer, initialized in
            for index in 0..<count / 2 { buffer[index] = Int32(truncatingIfNeeded: index) }
            initialized = count / 2
        }
        #expect(half == (0..<count / 2).map { Int32(truncatingIfNeeded: $0) })
        #expect([Float](directRepeating: 1.5, count: count) == [Float](repeating: 1.5, count: count))
        #expect([Bool](directRepeating: true, count: count) == [Bool](repeating: true, count: count))
    }
}
