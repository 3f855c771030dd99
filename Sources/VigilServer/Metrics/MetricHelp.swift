/// `# HELP` text for every metric family Vigil exposes.
///
/// The metrics are made through swift-metrics, whose factory registers them without help text;
/// the exposition is annotated here instead, one line before each family's `# TYPE` line.
enum MetricHelp {
    static let texts: [String: String] = [
        "vigil_requests_total": "Requests answered, by route, model and HTTP status.",
        "vigil_request_errors_total": "Requests answered with a 4xx or 5xx status, by route and model.",
        "vigil_request_duration_seconds": "Time from receiving a request to its response, by route and model.",
        "vigil_alert_firing": "1 while Vigil's drift alert for the model and feature is firing, else 0.",
        "vigil_dataset_drift": "1 when the latest drift run found dataset drift for the model, else 0.",
        "vigil_feature_drift_score":
            "The latest drift statistic of a feature or output, by test (ks, chi2, wasserstein, psi, jensen_shannon, ...).",
        "vigil_feature_log_dropped_rows_total": "Logged rows dropped because the database could not be written for too long.",
        "vigil_feature_log_write_failures_total": "Failed writes of the feature log to SQLite (retried at the next flush).",
        "vigil_feature_log_pending_rows": "Rows counted in memory and not yet written to SQLite (the feature-log queue).",
        "vigil_feature_log_pending_windows": "Feature-log windows held in memory and not yet written to SQLite.",
        "vigil_store_up": "1 when the store (SQLite file or fleet PostgreSQL) answered its last use, else 0; by engine.",
        "vigil_monitor_leader": "1 while this replica runs the drift monitor for its store, 0 while another replica does.",
        "vigil_model_ready": "1 when the model version is loaded and serving, 0 when it failed to load or was unloaded.",
        "vigil_model_reload_failed": "1 when the last reload of the model version failed and its previous load goes on serving.",
        "vigil_build_info": "Always 1; the labels name this build of Vigil.",
        "process_cpu_seconds_total": "Total user and system CPU time spent in seconds.",
        "process_resident_memory_bytes": "Resident memory size in bytes.",
        "process_virtual_memory_bytes": "Virtual memory size in bytes.",
        "process_open_fds": "Number of open file descriptors.",
        "process_max_fds": "Maximum number of open file descriptors.",
        "process_start_time_seconds": "Start time of the process since unix epoch in seconds.",
    ]

    /// `exposition` with a `# HELP` line before every `# TYPE` line that lacks one.
    static func annotate(_ exposition: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(exposition.count + 2048)
        var previousWasHelp = false
        for line in exposition.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if !previousWasHelp, line.starts(with: "# TYPE ".utf8) {
                let name = line.dropFirst(7).prefix { $0 != UInt8(ascii: " ") }
                out += "# HELP ".utf8
                out += name
                out.append(UInt8(ascii: " "))
                out += help(for: String(decoding: name, as: UTF8.self)).utf8
                out.append(UInt8(ascii: "\n"))
            }
            previousWasHelp = line.starts(with: "# HELP ".utf8)
            out += line
            out.append(UInt8(ascii: "\n"))
        }
        // split keeps the empty piece after the final newline; do not double it.
        if exposition.last == UInt8(ascii: "\n") { out.removeLast() }
        return out
    }

    static func help(for name: String) -> String {
        texts[name] ?? "Vigil metric \(name)."
    }
}
