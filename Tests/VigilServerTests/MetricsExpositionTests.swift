import Foundation
import Testing

/// `GET /metrics` of the real binary, read as Prometheus reads it (`promtool check metrics`).
@Suite(
    .enabled(
        if: LoopbackServer.which("promtool") != nil || ProcessInfo.processInfo.environment["CI"] != nil,
        "needs promtool (Debian's prometheus)"))
struct MetricsExpositionTests {
    static func promtoolCheck(_ exposition: String) throws -> (status: Int32, output: String) {
        guard let promtool = LoopbackServer.which("promtool") else {
            throw ProcessFailure("promtool is not installed; .ci/run installs Debian's prometheus")
        }
        return try Command.run(promtool, ["check", "metrics"], input: Data(exposition.utf8))
    }

    @Test func promtoolFindsNoProblemAndEveryFamilyHasHelp() throws {
        let repository = try TestRepository()
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path,
            "--db", repository.directory.appendingPathComponent("m.sqlite").path, "--flush-interval", "1h",
        ])
        let request = #"{"inputs":[{"name":"input","shape":[3,2],"datatype":"FP32","data":[[1,2],[3,4],[5,6]]}]}"#
        #expect(try vigil.post("/v2/models/reg32/infer", request).0 == 200)
        #expect(try vigil.post("/v2/models/broken/infer", request).0 == 503)
        let (status, exposition) = try vigil.get("/metrics")
        #expect(status == 200)
        let (checked, complaints) = try Self.promtoolCheck(exposition)
        #expect(checked == 0 && complaints.isEmpty, "promtool: \(complaints)")
        let lines = exposition.split(separator: "\n")
        let types = lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        let helps = lines.filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] }
        #expect(types == helps)
        for family in [
            "vigil_requests_total", "vigil_request_duration_seconds", "vigil_model_ready", "vigil_build_info",
            "vigil_feature_log_pending_rows", "process_cpu_seconds_total", "process_resident_memory_bytes",
            "process_open_fds", "process_max_fds", "process_start_time_seconds",
        ] {
            #expect(types.contains(Substring(family)), "no \(family)")
        }
        func value(_ sample: String) -> Double? {
            lines.first { $0.hasPrefix(sample + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        #expect(value(#"vigil_model_ready{model="reg32",version="1"}"#) == 1)
        #expect(value(#"vigil_model_ready{model="broken",version="1"}"#) == 0)
        #expect(value(#"vigil_model_ready{model="versioned",version="2"}"#) == 1)
        // Three rows counted and not yet flushed (the next flush is an hour away).
        #expect(value(#"vigil_feature_log_pending_rows{model="reg32"}"#) == 3)
        let started = try #require(value("process_start_time_seconds"))
        #expect(abs(started - Date().timeIntervalSince1970) < 600, "start time \(started)")
        #expect((value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((value("process_open_fds") ?? 0) >= 3)
        #expect(lines.contains { $0.hasPrefix("vigil_build_info{version=\"") && $0.hasSuffix(" 1") })
        _ = try vigil.stop(signal: SIGTERM)
    }
}

/// deploy/check-runtime-libraries.sh, which deploy/build-release.sh runs on the binary it makes.
struct RuntimeLibraryCheckTests {
    static let script = TestRepository.repositoryRoot.appendingPathComponent("deploy/check-runtime-libraries.sh").path

    static func check(_ binary: String) throws -> (Int32, String) {
        try Command.run("/bin/bash", [script, binary])
    }

    @Test func aBinaryThatLinksMoreThanTheRuntimeImageInstallsFails() throws {
        // curl links libcurl, which the runtime image does not have.
        let (status, output) = try Self.check("/usr/bin/curl")
        #expect(status != 0)
        #expect(output.contains("libcurl"), "\(output)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["VIGIL_BINARY"] != nil, "VIGIL_BINARY names the release binary in CI"))
    func theReleaseBinaryLinksOnlyWhatTheRuntimeImageInstalls() throws {
        let (status, output) = try Self.check(ProcessInfo.processInfo.environment["VIGIL_BINARY"] ?? "")
        #expect(status == 0, "\(output)")
        #expect(output.contains("libsqlite3.so.0") && output.contains("libz.so.1"), "\(output)")
    }
}
