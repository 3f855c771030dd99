import FoundationEssentials
import VigilModels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard `process_*` figures of Prometheus client libraries, read from `/proc/self` on Linux.
struct ProcessStatistics: Sendable {
    var cpuSeconds: Double
    var residentBytes: Double
    var virtualBytes: Double
    var openFileDescriptors: Double
    var maxFileDescriptors: Double
    var startTimeSeconds: Double

    /// The current figures, or nil where `/proc` cannot be read (not Linux).
    static func current() -> ProcessStatistics? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name, which may itself hold spaces and parentheses; field 3 (state) is first.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double { fields.count > number - 3 ? Double(fields[number - 3]) ?? 0 : 0 }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let bootTime = Self.bootTime() ?? 0
        let openFiles = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return ProcessStatistics(
            cpuSeconds: (field(14) + field(15)) / ticks,
            residentBytes: field(24) * pageSize,
            virtualBytes: field(23),
            openFileDescriptors: Double(max(openFiles - 1, 0)),  // less the descriptor that listed the folder
            maxFileDescriptors: Double(limit.rlim_cur),
            startTimeSeconds: bootTime + field(22) / ticks)
    }

    /// Seconds since 1970 at which the machine booted (`btime` in /proc/stat).
    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingWhitespace())
        }
        return nil
    }

    /// These figures as metric families.
    func write(to text: inout MetricFamilyText) {
        text.family("process_cpu_seconds_total", type: "counter", value: cpuSeconds)
        text.family("process_resident_memory_bytes", type: "gauge", value: residentBytes)
        text.family("process_virtual_memory_bytes", type: "gauge", value: virtualBytes)
        text.family("process_open_fds", type: "gauge", value: openFileDescriptors)
        text.family("process_max_fds", type: "gauge", value: maxFileDescriptors)
        text.family("process_start_time_seconds", type: "gauge", value: startTimeSeconds)
    }
}
