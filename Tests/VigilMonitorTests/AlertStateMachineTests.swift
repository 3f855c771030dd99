import Testing
import VigilMonitor
import VigilStore

struct AlertStateMachineTests {
    func run(_ machine: AlertStateMachine, _ verdicts: [Bool?]) -> [String] {
        var record = AlertRecord(model: "m", feature: "f", state: AlertState.inactive.rawValue, updatedAt: 0)
        var states: [String] = []
        for (index, drifted) in verdicts.enumerated() {
            record = machine.next(record, drifted: drifted, at: Double(index), detail: "").0
            states.append(record.state)
        }
        return states
    }

    @Test func firesAfterTwoDriftedRunsAndResolvesAfterTwoCleanOnes() {
        let states = run(AlertStateMachine(runsToChange: 2), [true, true, false, true, false, false, false])
        #expect(states == ["pending", "firing", "firing", "firing", "firing", "resolved", "resolved"])
    }

    @Test func aSingleDriftedRunBetweenCleanOnesNeverFires() {
        let states = run(AlertStateMachine(runsToChange: 2), [true, false, true, false])
        #expect(states == ["pending", "inactive", "pending", "inactive"])
    }

    @Test func insufficientDataChangesNothing() {
        let states = run(AlertStateMachine(runsToChange: 2), [true, nil, true, nil, false, nil, false])
        #expect(states == ["pending", "pending", "firing", "firing", "firing", "firing", "resolved"])
    }

    @Test func oneRunSettingFiresAndResolvesAtOnce() {
        let machine = AlertStateMachine(runsToChange: 1)
        #expect(run(machine, [true, false, true]) == ["firing", "resolved", "firing"])
    }

    @Test func transitionsCarryTimesAndFiringResetsAcknowledgement() {
        let machine = AlertStateMachine(runsToChange: 1)
        var record = AlertRecord(model: "m", feature: "f", state: "resolved", acknowledgedAt: 3, updatedAt: 0)
        let (fired, transition) = machine.next(record, drifted: true, at: 10, detail: "ks")
        #expect(transition == AlertTransition(from: "resolved", to: "firing", at: 10, detail: "ks"))
        #expect(fired.startedAt == 10 && fired.acknowledgedAt == nil && fired.resolvedAt == nil)
        record = machine.next(fired, drifted: false, at: 20, detail: "").0
        #expect(record.resolvedAt == 20 && record.startedAt == 10)
    }
}
