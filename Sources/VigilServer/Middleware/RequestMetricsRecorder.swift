import Hummingbird

/// Counts requests per route, model and status, and times them.
///
/// The model label is only ever a model the repository knows (or once knew), so unknown names cannot grow the metric set.
struct RequestMetricsRecorder: Sendable {
    let metrics: ServerMetrics
    let repository: ModelRepository

    /// Records `response`, the answer to the route and model `context` resolved, begun at `start`.
    func record(_ response: Response, context: some RequestContext, since start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        var model = ""
        var isPrediction = route.hasSuffix("/infer")
        if let name = context.parameters.get("name") {
            isPrediction = isPrediction || name.hasSuffix(":predict")
            model = name.hasSuffix(":predict") ? String(name.dropLast(":predict".count)) : name
        }
        metrics.recordRequest(
            route: route, model: model, status: Int(response.status.code), duration: ContinuousClock.now - start,
            isPrediction: isPrediction
        ) { repository.entry(named: $0) != nil }
    }
}
