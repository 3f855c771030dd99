import Foundation
import Testing
import VigilModels
import VigilMonitor
import VigilStats
import VigilStore

struct DriftEngineTests {
    /// Reference: three numeric features, sample 0…999 scaled; `critical` marks the third.
    func profile(critical: Bool = false) -> ReferenceProfile {
        let values = (0..<1000).map { Double($0) / 1000 }
        var moments = NumericMoments()
        values.forEach { moments.add($0) }
        let bins = QuantileBins(reference: values)!
        let columns = ["a", "b", "c"].map { name in
            ColumnProfile(
                name: name, role: .input, kind: .numeric, critical: critical && name == "c", moments: moments,
                bins: bins, binCounts: bins.counts(values), sample: values)
        }
        return ReferenceProfile(model: "m", version: 1, rowCount: 1000, columns: columns, fingerprint: "p")
    }

    func window(_ values: [Double], profile: ReferenceProfile) -> ColumnWindow {
        var generator = SplitMix64(seed: 1)
        let bins = profile.columns[0].bins
        var window = ColumnWindow(profile: "p", slotCount: bins?.slotCount ?? 0, sampleCapacity: 10_000)
        for value in values { window.add(number: value, bins: bins, using: &generator) }
        return window
    }

    func current(_ shifts: [String: Double], profile: ReferenceProfile) -> [ColumnKey: ColumnWindow] {
        var windows: [ColumnKey: ColumnWindow] = [:]
        for name in ["a", "b", "c"] {
            let values = (0..<500).map { Double($0) / 500 + (shifts[name] ?? 0) }
            windows[ColumnKey(model: "m", role: .input, feature: name)] = window(values, profile: profile)
        }
        return windows
    }

    @Test func oneShiftedFeatureOfThreeIsNotDatasetDriftUnlessCritical() {
        let plain = DriftEngine(settings: DriftSettings()).report(
            profile: profile(), current: current(["c": 0.3], profile: profile()), windowStart: 0, windowEnd: 1, createdAt: 1)
        #expect(plain.features.map(\.drifted) == [false, false, true])
        #expect(!plain.datasetDrift && plain.status == .ok)
        #expect(abs(plain.driftedShare - 1.0 / 3) < 1e-12)
        let critical = DriftEngine(settings: DriftSettings()).report(
            profile: profile(critical: true), current: current(["c": 0.3], profile: profile()), windowStart: 0, windowEnd: 1, createdAt: 1)
        #expect(critical.datasetDrift && critical.status == .drift)
    }

    @Test func aWindowWithoutItsEmptyTrailingSlotsStillGetsPSIAndJS() throws {
        let reference = profile()
        let full = current(["a": 0.3], profile: reference)
        var trimmed = full
        for key in trimmed.keys {
            // The store keeps only non-empty slots, so a window with no overflow reads back one slot short.
            while trimmed[key]?.slotCounts.last == 0 { trimmed[key]?.slotCounts.removeLast() }
        }
        #expect(trimmed[ColumnKey(model: "m", role: .input, feature: "b")]?.slotCounts.count ?? 0 < reference.columns[1].binCounts.count)
        let expected = DriftEngine(settings: DriftSettings()).report(
            profile: reference, current: full, windowStart: 0, windowEnd: 1, createdAt: 1)
        let report = DriftEngine(settings: DriftSettings()).report(
            profile: reference, current: trimmed, windowStart: 0, windowEnd: 1, createdAt: 1)
        let psi = try #require(report.features[1].psi)
        #expect(psi == expected.features[1].psi)
        #expect(report.features[1].jensenShannon == expected.features[1].jensenShannon)
        #expect(report.features[1].outOfRangeRate == 0)
    }

    @Test func twoOfThreeIsDatasetDrift() {
        let report = DriftEngine(settings: DriftSettings()).report(
            profile: profile(), current: current(["a": 0.3, "b": 0.4], profile: profile()), windowStart: 0, windowEnd: 1, createdAt: 1)
        #expect(report.datasetDrift)
        let a = report.features[0]
        // KS on shifted uniform samples: statistic 0.3 on the 1000/500 lattice; W1 = 0.3 over sd ≈ 0.2887.
        #expect(abs((a.statistic ?? 0) - 0.3) < 0.002)
        #expect(abs((a.wasserstein ?? 0) - 0.3 / (1 / 12.0).squareRoot()) < 0.01)
        #expect((a.outOfRangeRate ?? 0) > 0.29)
        #expect(a.missingRate == 0 && a.referenceMissingRate == 0 && a.missingRateChange == 0)
    }

    @Test func significanceWithoutEffectIsNotDrift() {
        var settings = DriftSettings()
        settings.wasserstein = 10
        settings.psi = 10
        settings.jensenShannon = 10
        let report = DriftEngine(settings: settings).report(
            profile: profile(), current: current(["a": 0.3], profile: profile()), windowStart: 0, windowEnd: 1, createdAt: 1)
        #expect((report.features[0].correctedPValue ?? 1) < 1e-6)
        #expect(!report.features[0].drifted)
        #expect(report.features[0].effects.isEmpty)
    }

    @Test func bonferroniIsStricterThanBenjaminiHochberg() {
        var settings = DriftSettings()
        settings.correction = .bonferroni
        let current = current(["a": 0.3, "b": 0.3], profile: profile())
        let bonferroni = DriftEngine(settings: settings).report(
            profile: profile(), current: current, windowStart: 0, windowEnd: 1, createdAt: 1)
        let bh = DriftEngine(settings: DriftSettings()).report(
            profile: profile(), current: current, windowStart: 0, windowEnd: 1, createdAt: 1)
        for (strict, lenient) in zip(bonferroni.features, bh.features) {
            #expect((strict.correctedPValue ?? 0) >= (lenient.correctedPValue ?? 0))
            #expect(strict.correctedPValue == min((strict.pValue ?? 0) * 3, 1))
        }
    }

    @Test func tooFewRowsIsInsufficientData() {
        var settings = DriftSettings()
        settings.minimumRows = 501
        let report = DriftEngine(settings: settings).report(
            profile: profile(), current: current(["a": 0.5, "b": 0.5, "c": 0.5], profile: profile()), windowStart: 0, windowEnd: 1,
            createdAt: 1)
        #expect(report.status == .insufficientData)
        #expect(!report.datasetDrift && report.features.allSatisfy { !$0.drifted })
    }

    @Test func missingRateChangeIsReportedAndEncoded() throws {
        let reference = profile()
        var windows = current([:], profile: reference)
        let values = (0..<500).map { Double($0) / 500 } + [Double](repeating: .nan, count: 100)
        windows[ColumnKey(model: "m", role: .input, feature: "a")] = window(values, profile: reference)
        let report = DriftEngine(settings: DriftSettings()).report(
            profile: reference, current: windows, windowStart: 0, windowEnd: 1, createdAt: 1)
        let a = report.features[0]
        #expect(abs((a.missingRate ?? 0) - 100.0 / 600) < 1e-12)
        #expect(abs((a.missingRateChange ?? 0) - 100.0 / 600) < 1e-12)
        let json = String(decoding: try JSONEncoder.reports.encode(report), as: UTF8.self)
        #expect(json.contains("\"missingRateChange\":0.1666"))
    }

    @Test func vigilJSONOverridesApply() throws {
        let configuration = try ModelConfiguration.parse(
            Array(#"{"drift":{"p_value":0.01,"psi":0.3,"correction":"bonferroni","last_rows":500,"min_rows":10}}"#.utf8))
        let settings = DriftSettings().applying(configuration.drift)
        #expect(settings.pValue == 0.01 && settings.psi == 0.3 && settings.correction == .bonferroni)
        #expect(settings.lastRows == 500 && settings.minimumRows == 10 && settings.wasserstein == 0.1)
    }
}
