import FoundationEssentials

/// Inline SVG charts drawn on the server: each has a title, axes and a legend, uses classes the
/// stylesheet colours (so dark mode and print work), and escapes every label.
enum SVGChart {
    /// One series over time, with an optional threshold line: the drift-score and drifted-share sparklines.
    static func sparkline(
        title: String, points: [(time: Double, value: Double)], threshold: Double?, maximum: Double? = nil,
        width: Int = 180, height: Int = 54, legend: String, valueLabel: String
    ) -> HTML {
        let left = 4.0
        let right = Double(width) - 30
        let top = 4.0
        let bottom = Double(height) - 22
        let values = points.map(\.value)
        let top_ = max(maximum ?? 0, values.max() ?? 0, (threshold ?? 0) * 1.25, 1e-9)
        let start = points.first?.time ?? 0
        let end = max(points.last?.time ?? 1, start + 1)
        func x(_ time: Double) -> Double { left + (time - start) / (end - start) * (right - left) }
        func y(_ value: Double) -> Double { bottom - min(max(value / top_, 0), 1) * (bottom - top) }
        var body: HTML = """
            <svg class="spark" role="img" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)"><title>\(title)</title>\
            <line class="axis" x1="\(f(left))" y1="\(f(bottom))" x2="\(f(right))" y2="\(f(bottom))"/>\
            <text class="tick" x="\(f(right + 2))" y="\(f(top + 6))">\(DashboardFormat.number(top_))</text>\
            <text class="tick" x="\(f(right + 2))" y="\(f(bottom))">0</text>
            """
        if let threshold {
            body +=
                "<line class=\"threshold\" x1=\"\(f(left))\" y1=\"\(f(y(threshold)))\" x2=\"\(f(right))\" y2=\"\(f(y(threshold)))\"><title>threshold \(DashboardFormat.number(threshold))</title></line>"
        }
        if points.count == 1 {
            body += "<circle class=\"series\" cx=\"\(f(x(points[0].time)))\" cy=\"\(f(y(points[0].value)))\" r=\"2\"/>"
        } else if points.count > 1 {
            let path = points.map { "\(f(x($0.time))),\(f(y($0.value)))" }.joined(separator: " ")
            body += "<polyline class=\"series\" points=\"\(path)\"/>"
        }
        // The legend: what the line is, and the threshold's dashes.
        body +=
            "<text class=\"tick\" x=\"\(f(left))\" y=\"\(f(Double(height) - 1))\">— \(legend)\(threshold == nil ? "" : " ┄ limit")</text>"
        if let first = points.first, let last = points.last {
            body += "<text class=\"tick\" x=\"\(f(left))\" y=\"\(f(bottom + 10))\">\(DashboardFormat.clock(first.time))</text>"
            body +=
                "<text class=\"tick\" x=\"\(f(right))\" y=\"\(f(bottom + 10))\" text-anchor=\"end\">\(DashboardFormat.clock(last.time)) UTC</text>"
        } else {
            body += "<text class=\"tick\" x=\"\(f(left))\" y=\"\(f(bottom - 4))\">no runs yet</text>"
        }
        body += "<desc>\(valueLabel)\(threshold == nil ? "" : "; dashed line: threshold")</desc></svg>"
        return body
    }

    /// Reference against current as paired bars per slot, with a legend: the numeric histograms
    /// (reference-quantile bins with underflow and overflow) and the category bars.
    static func bars(
        title: String, labels: [String], reference: [Double], current: [Double], marked: Set<Int> = [],
        width: Int = 340, height: Int = 150
    ) -> HTML {
        let count = max(labels.count, 1)
        let left = 30.0
        let right = Double(width) - 4
        let top = 18.0
        let bottom = Double(height) - 30
        let peak = max(reference.max() ?? 0, current.max() ?? 0, 1e-9)
        let slot = (right - left) / Double(count)
        let bar = max(slot * 0.4, 0.5)
        func y(_ share: Double) -> Double { bottom - share / peak * (bottom - top) }
        var body: HTML = """
            <svg class="bars" role="img" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)"><title>\(title)</title>\
            <rect class="legend-ref" x="\(f(left))" y="3" width="9" height="9"/><text class="tick" x="\(f(left + 12))" y="11">reference</text>\
            <rect class="legend-cur" x="\(f(left + 80))" y="3" width="9" height="9"/><text class="tick" x="\(f(left + 92))" y="11">current</text>\
            <line class="axis" x1="\(f(left))" y1="\(f(bottom))" x2="\(f(right))" y2="\(f(bottom))"/>\
            <line class="axis" x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(bottom))"/>\
            <text class="tick" x="\(f(left - 3))" y="\(f(top + 4))" text-anchor="end">\(DashboardFormat.percent(peak))</text>\
            <text class="tick" x="\(f(left - 3))" y="\(f(bottom))" text-anchor="end">0</text>
            """
        if !marked.isEmpty {
            body +=
                "<rect class=\"legend-unseen\" x=\"\(f(left + 150))\" y=\"3\" width=\"9\" height=\"9\"/><text class=\"tick\" x=\"\(f(left + 162))\" y=\"11\">unseen in reference</text>"
        }
        // Label every slot when they fit, else every few, so a wide chart stays readable.
        let labelEvery = max(1, Int((Double(count) * 34 / (right - left)).rounded(.up)))
        for index in 0..<count {
            let x0 = left + Double(index) * slot + slot * 0.1
            let label = index < labels.count ? labels[index] : ""
            let r = index < reference.count ? reference[index] : 0
            let c = index < current.count ? current[index] : 0
            body += "<g><title>\(label): reference \(DashboardFormat.percent(r)), current \(DashboardFormat.percent(c))</title>"
            body += "<rect class=\"ref\" x=\"\(f(x0))\" y=\"\(f(y(r)))\" width=\"\(f(bar))\" height=\"\(f(bottom - y(r)))\"/>"
            body +=
                "<rect class=\"\(marked.contains(index) ? "unseen" : "cur")\" x=\"\(f(x0 + bar))\" y=\"\(f(y(c)))\" width=\"\(f(bar))\" height=\"\(f(bottom - y(c)))\"/></g>"
            if index % labelEvery == 0 {
                let short = label.count > 9 ? String(label.prefix(8)) + "…" : label
                body += "<text class=\"tick\" x=\"\(f(x0 + bar))\" y=\"\(f(bottom + 11))\" text-anchor=\"middle\">\(short)</text>"
            }
        }
        body +=
            "<text class=\"tick\" x=\"\(f((left + right) / 2))\" y=\"\(f(Double(height) - 3))\" text-anchor=\"middle\">share of rows per bin</text></svg>"
        return body
    }

    /// A coordinate with at most one decimal, which keeps the SVG small.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
