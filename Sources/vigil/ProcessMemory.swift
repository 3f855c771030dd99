import CMallocTuning
import Dispatch
import FoundationEssentials
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The one place where `vigil serve` tunes the process's memory; library code never does.
///
/// Three steps, each a no-op where the platform lacks it:
/// - `keepFreedBlocks()` at start: glibc keeps freed blocks of up to 2 MiB in the process, so a
///   batch's buffers are not page-faulted in again on every request, while a 100,000-row body's
///   buffers are mmap'd and go back when freed (`vigil_keep_freed_memory`).
/// - `pageOutStartupCode()` once the models have loaded: the code only loading runs (the ONNX
///   protobuf reader, the tree parsers, reference profiles) leaves the resident set.
/// - `FreedMemoryTrimmer`, a service: when the resident set has grown since it last looked (a
///   large body came and went), free pages between live blocks go back to the kernel.
///
/// `bench/serve/run.sh` reports the resident set after its loads and after large bodies, the
/// figures these steps are kept for (`docs/benchmarks.md`).
enum ProcessMemory {
    static func keepFreedBlocks() {
        vigil_keep_freed_memory()
    }

    /// `MADV_PAGEOUT` (Linux 5.4); older kernels answer EINVAL and keep the pages.
    private static let pageOutAdvice: Int32 = 21

    /// Pages out the executable's read-only mappings (code and constants). They stay in the page
    /// cache, and whatever requests run faults back in at once. Returns the bytes advised.
    @discardableResult
    static func pageOutStartupCode() -> Int {
        #if os(Linux)
        var path = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &path, path.count - 1)
        guard length > 0, let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return 0 }
        let executable = String(decoding: path[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var advised = 0
        for line in maps.split(separator: "\n") {
            // start-end perms offset device inode path
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[5...].joined(separator: " ") == executable,
                fields[1] == "r-xp" || fields[1] == "r--p"
            else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt(String($0), radix: 16) }
            guard bounds.count == 2, bounds[1] > bounds[0], let start = UnsafeMutableRawPointer(bitPattern: bounds[0]) else { continue }
            if madvise(start, Int(bounds[1] - bounds[0]), pageOutAdvice) == 0 { advised += Int(bounds[1] - bounds[0]) }
        }
        return advised
        #else
        return 0
        #endif
    }

    /// The process's resident bytes, from `/proc/self/statm`; 0 where it cannot be read.
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Gives freed memory back after large request bodies, off the request path. Twice a second it
/// reads the resident set; once that stands `growth` above where it settled and has stopped rising
/// (the large body has come and gone), it trims (`malloc_trim`), and the level after the trim is
/// where it has settled. Steady serving stays at its level and never trims.
struct FreedMemoryTrimmer: Service {
    var growth = 4 << 20

    func run() async throws {
        var settled = ProcessMemory.residentBytes()
        var previous = settled
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
            let resident = ProcessMemory.residentBytes()
            if resident > settled + growth && resident <= previous + (1 << 20) {
                vigil_trim_freed_memory()
                settled = ProcessMemory.residentBytes()
            } else {
                settled = min(settled, resident)
            }
            previous = resident
        }
    }
}
