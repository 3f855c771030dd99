import FoundationEssentials

/// The model page's query string: which window, which columns, in what order, which page.
/// Every control on the page is a plain link (or a GET form) that sets these.
struct ModelPageQuery: Sendable, Equatable {
    enum Sort: String, Sendable, CaseIterable {
        /// Drifted first, then by how far the largest effect size is past its threshold.
        case severity
        case name
        /// Jensen–Shannon distance, largest first.
        case score
        /// Corrected p-value, smallest first.
        case p
    }

    enum Filter: String, Sendable, CaseIterable {
        case all, drifted
    }

    var sort = Sort.severity
    var filter = Filter.all
    var search = ""
    var page = 1
    var since: Double?
    var until: Double?
    var refresh = true

    static let perPage = 25

    init() {}

    /// Reads the query parameters, refusing values the page cannot show.
    init(parameters: [String: String]) throws(VigilError) {
        if let text = parameters["sort"], !text.isEmpty {
            guard let sort = Sort(rawValue: text) else {
                throw .badRequest("sort must be one of \(Sort.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text.prefix(32))'")
            }
            self.sort = sort
        }
        if let text = parameters["filter"], !text.isEmpty {
            guard let filter = Filter(rawValue: text) else {
                throw .badRequest("filter must be all or drifted, not '\(text.prefix(32))'")
            }
            self.filter = filter
        }
        search = String((parameters["q"] ?? "").prefix(200))
        if let text = parameters["page"], !text.isEmpty {
            guard let page = Int(text), page >= 1, page <= 1_000_000 else {
                throw .badRequest("page must be a whole number from 1, not '\(text.prefix(32))'")
            }
            self.page = page
        }
        since = try QueryTime.parse(parameters["since"], name: "since")
        until = try QueryTime.parse(parameters["until"], name: "until")
        if let since, let until, since > until { throw .badRequest("since must not be after until") }
        refresh = parameters["refresh"] != "off"
    }

    /// This query with some settings changed, as a query string starting with `?` (or empty).
    func link(sort: Sort? = nil, filter: Filter? = nil, page: Int? = nil, window: Bool = true, refresh: Bool? = nil) -> String {
        var items: [(String, String)] = []
        let sort = sort ?? self.sort
        let filter = filter ?? self.filter
        let page = page ?? self.page
        if window, let since { items.append(("since", Self.number(since))) }
        if window, let until { items.append(("until", Self.number(until))) }
        if sort != .severity { items.append(("sort", sort.rawValue)) }
        if filter != .all { items.append(("filter", filter.rawValue)) }
        if !search.isEmpty { items.append(("q", search)) }
        if page != 1 { items.append(("page", String(page))) }
        if !(refresh ?? self.refresh) { items.append(("refresh", "off")) }
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\($0)=\(Self.encode($1))" }.joined(separator: "&")
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func encode(_ value: String) -> String {
        PercentEncoding.encode(value)
    }
}
