#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// `printf`-style formatting (`%.3g`, `%04d`, `%.2e`, …) through the C library's `vsnprintf`.
    ///
    /// Vigil imports `FoundationEssentials`, which has no `String(format:)`.
    public init(printf format: String, _ arguments: any CVarArg...) {
        self = Self.formatted(format, arguments)
    }

    private static func formatted(_ format: String, _ arguments: [any CVarArg]) -> String {
        // The first pass measures, the second writes into the string's own storage.
        let length = Int(withVaList(arguments) { vsnprintf(nil, 0, format, $0) })
        guard length > 0 else { return "" }
        return String(unsafeUninitializedCapacity: length + 1) { bytes in
            _ = withVaList(arguments) { list in
                bytes.withMemoryRebound(to: CChar.self) { vsnprintf($0.baseAddress, $0.count, format, list) }
            }
            return length
        }
    }
}
