import Foundation
import Testing
import VigilStats

/// Fleet mode: several `vigil serve` processes sharing one real PostgreSQL database (`--store`).
@Suite(.serialized, .enabled(if: FleetDatabaseFixture.isAvailable))
struct FleetTests {
    static func replica(_ name: String, repository: TestRepository, store: String, _ extra: [String] = []) throws -> VigilProcess {
        try VigilProcess(
            arguments: [
                "--models", repository.directory.path, "--store", store, "--replica-id", name,
                "--flush-interval", "200ms", "--drift-interval", "2s",
            ] + extra)
    }

    /// The latest drift report of `model` as a replica serves it, once it covers `rows` rows.
    static func report(_ server: VigilProcess, model: String, rows: Int) throws -> [String: Any]? {
        let (status, body) = try server.get("/v1/models/\(model)/drift")
        guard status == 200, let report = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            (report["rows"] as? Int) == rows
        else { return nil }
        return report
    }

    static func verdict(_ report: [String: Any]) -> String {
        let features = (report["features"] as? [[String: Any]] ?? []).filter { $0["drifted"] as? Bool == true }.compactMap {
            $0["name"] as? String
        }
        return "\(report["status"] ?? "?"): \(features.sorted())"
    }

    @Test func threeReplicasLogTheWindowsOneServerWouldAndReachItsVerdicts() async throws {
        let fleet = try FleetDatabaseFixture.fresh()
        let repository = try TestRepository(includeBroken: false)
        try DriftModels.write(into: repository)
        let replicas = try (1...3).map { try Self.replica("replica-\($0)", repository: repository, store: fleet.url) }
        let file = SQLiteFileFixture(path: repository.directory.appendingPathComponent("single.sqlite").path)
        let single = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--db", file.path, "--flush-interval", "200ms", "--drift-interval", "2s",
        ])

        // A bounded load: 12 requests of 50 rows to each model, x1 shifted in shifty with some unseen categories, spread over the replicas.
        var gaussian = Gaussian(seed: 2026)
        for index in 0..<12 {
            for (model, shift, unseen) in [("shifty", 1.5, 0.1), ("steady", 0.0, 0.0)] {
                let body = DriftModels.batch(50, shift: shift, unseen: unseen, gaussian: &gaussian)
                let (fleetStatus, fleetBody) = try replicas[index % 3].post("/v2/models/\(model)/infer", body)
                let (singleStatus, singleBody) = try single.post("/v2/models/\(model)/infer", body)
                #expect(fleetStatus == 200 && singleStatus == 200)
                #expect(fleetBody.replacing(/"id":"[^"]*",?/, with: "") == singleBody.replacing(/"id":"[^"]*",?/, with: ""))
            }
        }
        let counted = "SELECT coalesce(sum(count + missing), 0) FROM feature_windows WHERE model = 'shifty' AND feature = 'x1'"
        #expect(try single.wait(seconds: 30) { try fleet.rows(counted) == ["600"] && file.rows(counted) == ["600"] })
        // Written under three replica ids, summed: the same counts, bins and categories exactly.
        #expect(try fleet.rows("SELECT count(DISTINCT replica) FROM feature_windows") == ["3"])
        let fleetTotals = try WindowTotals.of(fleet.rows)
        #expect(fleetTotals[0].count > 0 && fleetTotals[1].count > 0 && fleetTotals[2].count > 0)
        #expect(fleetTotals == (try WindowTotals.of(file.rows)))

        // One monitor for the fleet, and the same verdicts as the single server's, whichever replica answers.
        var fleetReport: [String: Any]?
        var singleReport: [String: Any]?
        #expect(
            try single.wait(seconds: 30) {
                fleetReport = try Self.report(replicas[0], model: "shifty", rows: 600)
                singleReport = try Self.report(single, model: "shifty", rows: 600)
                return fleetReport != nil && singleReport != nil
            })
        let fleetVerdict = try Self.verdict(#require(fleetReport))
        #expect(fleetVerdict == Self.verdict(try #require(singleReport)))
        #expect(fleetVerdict.hasPrefix("drift") && fleetVerdict.contains("x1"))
        let created = fleetReport?["createdAt"] as? Double
        for replica in replicas.dropFirst() {
            let other = try #require(try Self.report(replica, model: "shifty", rows: 600))
            #expect(other["createdAt"] as? Double == created || (other["createdAt"] as? Double ?? 0) > (created ?? 0))
        }
        // The dashboard too: a replica that never ran a drift test shows the fleet's verdict.
        let follower = try #require(try replicas.first { try $0.leads() == false })
        let (pageStatus, page) = try follower.get("/dashboard")
        #expect(pageStatus == 200)
        let shiftyRow = try #require(page.split(separator: "\n").first { $0.contains("/dashboard/models/shifty\"") })
        #expect(shiftyRow.contains("badge s-drift\">drift<"))
        // And its drift gauges carry the leader's verdicts (it publishes them at its next tick).
        #expect(try follower.wait(seconds: 10) { try follower.metric(#"vigil_dataset_drift{model="shifty"}"#) == 1 })
        // steady's last rows can land one drift run after shifty's (the load ends on a steady request).
        var steady: [String: Any]?
        var singleSteady: [String: Any]?
        #expect(
            try single.wait(seconds: 30) {
                steady = try Self.report(replicas[1], model: "steady", rows: 600)
                singleSteady = try Self.report(single, model: "steady", rows: 600)
                return steady != nil && singleSteady != nil
            })
        #expect(Self.verdict(try #require(steady)) == Self.verdict(try #require(singleSteady)))
        #expect(try replicas.compactMap { try $0.leads() }.filter { $0 }.count == 1)
    }

    @Test func whenTheLeaderIsKilledAnotherReplicaRunsTheNextDriftRuns() async throws {
        let fleet = try FleetDatabaseFixture.fresh()
        let repository = try TestRepository(includeBroken: false)
        let replicas = try (1...3).map { try Self.replica("replica-\($0)", repository: repository, store: fleet.url) }
        var leaders: [Int] = []
        #expect(
            try replicas[0].wait(seconds: 20) {
                let states = try replicas.map { try $0.leads() }
                leaders = states.indices.filter { states[$0] == true }
                return states.allSatisfy { $0 != nil } && leaders.count == 1
            })
        let leader = try #require(leaders.first)
        let killedAt = Date().timeIntervalSince1970
        _ = try replicas[leader].stop(signal: SIGKILL)
        let survivors = replicas.indices.filter { $0 != leader }.map { replicas[$0] }
        let newer = "SELECT count(*) FROM drift_reports WHERE model = 'iris' AND created_at > \(killedAt)"
        #expect(try survivors[0].wait(seconds: 30) { try fleet.rows(newer) != ["0"] })
        // Within two intervals of 2 s (and a second's grace for a busy machine).
        let first = try #require(
            Double(
                try fleet.rows("SELECT min(created_at) FROM drift_reports WHERE model = 'iris' AND created_at > \(killedAt)").first ?? ""))
        #expect(first - killedAt <= 5)
        #expect(try survivors[0].wait(seconds: 10) { try survivors.compactMap { try $0.leads() }.filter { $0 }.count == 1 })
        // One monitor at a time: runs of a model never come closer than an interval apart, less jitter.
        let times = try fleet.rows("SELECT created_at FROM drift_reports WHERE model = 'iris' ORDER BY created_at").compactMap(Double.init)
        #expect(times.count >= 2)
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 > 1 })
    }

    @Test func aStoreThatCannotBeReachedAtStartStopsTheServerWithTheReason() throws {
        let repository = try TestRepository(includeBroken: false)
        let port = LoopbackServer.freePort()
        let binary = try VigilProcess.binary.path
        let (status, output) = try Command.run(
            binary,
            [
                "serve", "--port", "0", "--models", repository.directory.path,
                "--store", "postgres://vigil:secret@127.0.0.1:\(port)/fleet",
            ])
        #expect(status != 0)
        #expect(output.contains("cannot reach PostgreSQL at postgres://vigil@127.0.0.1:\(port)/fleet"))
        #expect(!output.contains("secret"))
        let (badStatus, badOutput) = try Command.run(
            binary, ["serve", "--port", "0", "--models", repository.directory.path, "--store", "mysql://db/fleet"])
        #expect(badStatus != 0)
        #expect(badOutput.contains("is not a postgres:// URL"))
    }

    /// PostgreSQL (a cluster of this test's own, so no other test loses it) stopped for 10 s under
    /// load: every prediction is answered, the store shows as down, and once it is back the writer
    /// reconnects and catches up with every row, and the monitor runs again.
    @Test func predictionsFlowThroughAStoreOutageAndLoggingCatchesUp() async throws {
        let script = TestRepository.repositoryRoot.appendingPathComponent("tools/postgres.sh").path
        let cluster = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-outage-\(UUID().uuidString)").path
        let (started, output) = try Command.run(script, ["start", cluster])
        try #require(started == 0, "tools/postgres.sh start failed: \(output)")
        defer {
            _ = try? Command.run(script, ["stop", cluster])
            try? FileManager.default.removeItem(atPath: cluster)
        }
        let server = try #require(output.split(separator: "\n").last.map(String.init))
        try FleetDatabaseFixture.psql(server, "CREATE DATABASE outage")
        let fleet = FleetDatabaseFixture(url: server.replacing("/postgres", with: "/outage"))
        let repository = try TestRepository(includeBroken: false)
        let replica = try Self.replica("replica-1", repository: repository, store: fleet.url)
        let body = #"{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2]}]}"#
        var sent = 0
        func predict() throws {
            let (status, _) = try replica.post("/v2/models/iris/infer", body)
            #expect(status == 200)
            sent += 1
        }
        for _ in 0..<20 { try predict() }
        let counted = "SELECT coalesce(sum(count + missing), 0) FROM feature_windows WHERE model = 'iris' AND feature = 'sepal_length'"
        #expect(try replica.wait(seconds: 20) { try fleet.rows(counted) == ["20"] })

        let (stopped, stopOutput) = try Command.run(script, ["stop", cluster])
        try #require(stopped == 0, "tools/postgres.sh stop failed: \(stopOutput)")
        let outageEnds = Date().addingTimeInterval(10)
        var sawDown = false
        while Date() < outageEnds && sent < 5_000 {
            try predict()
            if sent % 50 == 0, try replica.metric(#"vigil_store_up{engine="postgres"}"#) == 0 { sawDown = true }
        }
        #expect(sawDown)
        let (restarted, restartOutput) = try Command.run(script, ["start", cluster])
        try #require(restarted == 0, "tools/postgres.sh start failed: \(restartOutput)")
        let backAt = Date().timeIntervalSince1970
        for _ in 0..<20 { try predict() }
        #expect(try replica.wait(seconds: 40) { try fleet.rows(counted) == [String(sent)] })
        #expect(try replica.metric(#"vigil_store_up{engine="postgres"}"#) == 1)
        #expect(try (replica.metric(#"vigil_feature_log_dropped_rows_total{model="iris"}"#) ?? 0) == 0)
        #expect(
            try replica.wait(seconds: 20) { try fleet.rows("SELECT count(*) FROM drift_reports WHERE created_at > \(backAt)") != ["0"] })
    }

    @Test func eachAlertTransitionPagesOnceWhileAReplicaRestarts() async throws {
        let fleet = try FleetDatabaseFixture.fresh()
        let repository = try TestRepository(includeBroken: false)
        try DriftModels.write(into: repository)
        let receiver = WebhookReceiver()
        let port = LoopbackServer.freePort()
        try await receiver.serving(port: port) {
            let hook = ["--alert-webhook", "http://127.0.0.1:\(port)/hook", "--alert-for", "1"]
            var replicas = try (1...3).map { try Self.replica("replica-\($0)", repository: repository, store: fleet.url, hook) }
            var gaussian = Gaussian(seed: 7)
            for index in 0..<12 {
                let (status, _) = try replicas[index % 3].post(
                    "/v2/models/shifty/infer", DriftModels.batch(100, shift: 2, gaussian: &gaussian))
                #expect(status == 200)
            }
            let firing = "SELECT count(*) FROM alert_transitions WHERE to_state = 'firing'"
            #expect(try replicas[0].wait(seconds: 40) { try fleet.rows(firing) != ["0"] })
            // A replica restarts (SIGTERM, then again under the same id) while the fleet runs on.
            #expect(try replicas[2].stop(signal: SIGTERM) == 0)
            replicas[2] = try Self.replica("replica-3", repository: repository, store: fleet.url, hook)
            try await Task.sleep(for: .seconds(5))
            let pending = "SELECT count(*) FROM outbox WHERE delivered_at IS NULL"
            #expect(try replicas[0].wait(seconds: 30) { try fleet.rows(pending) == ["0"] })
            let transitions = try fleet.rows(
                """
                SELECT a.feature || '|' || t.to_state FROM alert_transitions t JOIN alerts a ON a.id = t.alert_id
                WHERE t.to_state IN ('firing', 'resolved') ORDER BY 1
                """)
            let paged = receiver.deliveries.flatMap { delivery in
                (delivery.json?["alerts"] as? [[String: Any]] ?? []).map { alert in
                    "\((alert["labels"] as? [String: String])?["feature"] ?? "?")|\(alert["status"] as? String == "resolved" ? "resolved" : "firing")"
                }
            }
            #expect(!transitions.isEmpty)
            // Drift that holds fires each alert once: one monitor stores each transition once.
            #expect(Set(transitions).count == transitions.count)
            #expect(paged.sorted() == transitions.sorted())
            #expect(try fleet.rows("SELECT count(*) FROM outbox") == [String(receiver.deliveries.count)])
        }
    }
}
