/// Writes metric families in the Prometheus text format (version 0.0.4), for values that are read
/// at scrape time rather than kept in the registry (process figures, model readiness, queue depth).
struct MetricFamilyText {
    private(set) var text = ""

    /// One family: its `# HELP` and `# TYPE` lines, then one sample per label set.
    mutating func family(_ name: String, type: String, samples: [(labels: [(String, String)], value: Double)]) {
        guard !samples.isEmpty else { return }
        text += "# HELP \(name) \(MetricHelp.help(for: name))\n# TYPE \(name) \(type)\n"
        for sample in samples {
            text += name
            if !sample.labels.isEmpty {
                text += "{" + sample.labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " \(Self.format(sample.value))\n"
        }
    }

    mutating func family(_ name: String, type: String, value: Double) {
        family(name, type: type, samples: [([], value)])
    }

    /// Label values escape backslash, double quote and newline, as the text format requires.
    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
