public import VigilStore

/// The states of an alert (SPEC §7).
public enum AlertState: String, Sendable, Codable {
    /// Never drifted, or pending and then clean again.
    case inactive
    /// Drifted, but not yet for `runsToChange` runs in a row.
    case pending
    case firing
    /// Was firing, then clean for `runsToChange` runs in a row.
    case resolved
}

/// Moves an alert through pending → firing → resolved with hysteresis: it fires after
/// `runsToChange` drifted runs in a row and resolves after as many clean runs in a row.
/// A run with insufficient data (`drifted == nil`) changes nothing.
public struct AlertStateMachine: Sendable {
    public let runsToChange: Int

    public init(runsToChange: Int) { self.runsToChange = max(runsToChange, 1) }

    /// The record after one run, and the transition when the state changed.
    public func next(_ record: AlertRecord, drifted: Bool?, at time: Double, detail: String) -> (
        record: AlertRecord, transition: AlertTransition?
    ) {
        guard let drifted else { return (record, nil) }
        let state = AlertState(rawValue: record.state) ?? .inactive
        var updated = record
        updated.updatedAt = time
        var target = state
        switch (state, drifted) {
        case (.inactive, true), (.resolved, true), (.pending, true):
            updated.consecutive += 1
            target = updated.consecutive >= runsToChange ? .firing : .pending
        case (.pending, false):
            updated.consecutive = 0
            target = .inactive
        case (.inactive, false), (.resolved, false):
            updated.consecutive = 0
        case (.firing, true):
            updated.consecutive = 0
        case (.firing, false):
            updated.consecutive += 1
            target = updated.consecutive >= runsToChange ? .resolved : .firing
        }
        guard target != state else { return (updated, nil) }
        if target == .firing {
            updated.startedAt = time
            updated.resolvedAt = nil
            updated.acknowledgedAt = nil
            updated.consecutive = 0
        }
        if target == .resolved {
            updated.resolvedAt = time
            updated.consecutive = 0
        }
        updated.state = target.rawValue
        return (updated, AlertTransition(from: state.rawValue, to: target.rawValue, at: time, detail: detail))
    }
}
