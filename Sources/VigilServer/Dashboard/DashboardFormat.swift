import FoundationEssentials
import VigilModels

/// How the dashboard writes numbers and times: short, and the same on every page.
enum DashboardFormat {
    /// Three significant digits; very small p-values in scientific notation; "–" for none.
    static func number(_ value: Double?) -> String {
        guard let value else { return "–" }
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude < 0.001 || magnitude >= 1e6 { return String(printf: "%.2e", value) }
        return String(printf: "%.3g", value)
    }

    /// A share as a percentage with up to one decimal.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        let percent = value * 100
        return percent == percent.rounded() || percent >= 10 ? "\(Int(percent.rounded()))%" : String(printf: "%.1f%%", percent)
    }

    /// A moment in UTC, to the second: `2026-12-02 09:15:03 UTC`.
    static func time(_ seconds: Double?) -> String {
        guard let seconds else { return "–" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        return String(
            printf: "%04d-%02d-%02d %02d:%02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Hours and minutes in UTC, for chart axes.
    static func clock(_ seconds: Double) -> String {
        let daySeconds = Int(seconds.rounded(.down)) % 86_400
        return String(printf: "%02d:%02d", daySeconds / 3600, daySeconds % 3600 / 60)
    }

    /// A rate per minute with sensible precision.
    static func rate(_ perMinute: Double) -> String {
        perMinute >= 100 ? String(Int(perMinute.rounded())) : String(printf: "%.3g", perMinute)
    }
}
