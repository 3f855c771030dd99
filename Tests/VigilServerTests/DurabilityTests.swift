import Foundation
import Testing
import VigilStats
import VigilStore

/// The real binary loses nothing on SIGTERM and at most one flush interval on `kill -9`.
@Suite(.serialized)
struct DurabilityTests {
    static let request = #"{"inputs":[{"name":"input","shape":[3,2],"datatype":"FP32","data":[[1,2],[3,4],[5,6]]}]}"#

    func loggedRows(_ path: String) throws -> Int64 {
        let database = try Database(path: path)
        let windows = try SQLiteFeatureWindowStore(database: database).aggregate(model: "reg32", from: 0, to: Int64.max)
        return windows[ColumnKey(model: "reg32", role: .input, feature: "a")]?.moments.count ?? 0
    }

    @Test func sigtermFlushesEverythingAcceptedBeforeExit() throws {
        let repository = try TestRepository(includeBroken: false)
        let path = repository.directory.appendingPathComponent("durable.sqlite").path
        // An hour between flushes: only the shutdown flush can have written the rows.
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--db", path, "--flush-interval", "1h"])
        for _ in 0..<40 {
            let (status, body) = try vigil.post("/v2/models/reg32/infer", Self.request)
            #expect(status == 200, "\(body)")
        }
        #expect(try vigil.stop(signal: SIGTERM) == 0, "\(vigil.log)")
        #expect(try loggedRows(path) == 120)
        #expect(try Database(path: path).integrityCheck() == "ok")
    }

    @Test func killNineLosesAtMostOneFlushIntervalAndKeepsTheFileSound() throws {
        let repository = try TestRepository(includeBroken: false)
        let path = repository.directory.appendingPathComponent("crash.sqlite").path
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--db", path, "--flush-interval", "100ms"])
        for _ in 0..<20 { _ = try vigil.post("/v2/models/reg32/infer", Self.request) }
        // Wait (bounded) until a flush has written the first 60 rows.
        let deadline = Date().addingTimeInterval(15)
        while (try? loggedRows(path)) != 60 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try loggedRows(path) == 60)
        let (status, _) = try vigil.post("/v2/models/reg32/infer", Self.request)
        #expect(status == 200)
        #expect(try vigil.stop(signal: SIGKILL) == SIGKILL)
        let rows = try loggedRows(path)
        // The last request was either flushed whole or lost whole: one transaction per flush.
        #expect(rows == 60 || rows == 63, "\(rows) rows")
        #expect(try Database(path: path).integrityCheck() == "ok")
    }

    @Test func sighupReloadsChangedModels() throws {
        let repository = try TestRepository(includeBroken: false)
        let path = repository.directory.appendingPathComponent("reload.sqlite").path
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--db", path])
        let body = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#
        #expect(try vigil.post("/v2/models/reg32/infer", body).1.contains("[6]"))
        try repository.write(
            "reg32/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["a","b"],"coefficients":[[10,10]],"intercepts":[0],"datatype":"FP32"}"#
        )
        kill(vigil.process.processIdentifier, SIGHUP)
        var answer = ""
        let deadline = Date().addingTimeInterval(10)
        while !answer.contains("[20]") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            answer = try vigil.post("/v2/models/reg32/infer", body).1
        }
        #expect(answer.contains("[20]"), "\(answer)")
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func aModelFileTurnedToGarbageKeepsThePreviousLoadServingAndSaysSo() throws {
        let repository = try TestRepository(includeBroken: false)
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--feature-log", "false", "--admin-token", "s3cret",
        ])
        let body = #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#
        #expect(try vigil.post("/v2/models/reg32/infer", body).1.contains("[6]"))
        try repository.write("reg32/model.json", "\u{0}\u{1}garbage, not a model {")
        kill(vigil.process.processIdentifier, SIGHUP)
        #expect(vigil.wait(seconds: 10) { vigil.log.contains("model failed to reload") }, "\(vigil.log)")
        let (status, answer) = try vigil.post("/v2/models/reg32/infer", body)
        #expect(status == 200 && answer.contains("[6]"), "the previous load stopped serving: \(answer)")
        #expect(try vigil.get("/v2/models/reg32/ready").0 == 200)
        let (_, metrics) = try vigil.get("/metrics")
        #expect(metrics.contains(#"vigil_model_reload_failed{model="reg32",version="1"} 1"#), "\(metrics.prefix(2000))")
        // The admin reload says so too, and the index gives the reason.
        let (loadStatus, loadBody) = try vigil.post("/v2/repository/models/reg32/load", "{}", headers: ["Authorization: Bearer s3cret"])
        #expect(loadStatus == 400 && loadBody.contains("previous load goes on serving"), "\(loadBody)")
        // A good file again: the new load serves and the failure clears.
        try repository.write(
            "reg32/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["a","b"],"coefficients":[[10,10]],"intercepts":[0],"datatype":"FP32"}"#
        )
        kill(vigil.process.processIdentifier, SIGHUP)
        #expect(try vigil.wait(seconds: 10) { try vigil.post("/v2/models/reg32/infer", body).1.contains("[20]") })
        #expect(try vigil.get("/metrics").1.contains(#"vigil_model_reload_failed{model="reg32",version="1"} 0"#))
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func killNineUnderLoadLosesAtMostAboutOneFlushIntervalAndTheServerComesBack() throws {
        let repository = try TestRepository(includeBroken: false)
        let path = repository.directory.appendingPathComponent("load.sqlite").path
        let interval = 0.2
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--db", path, "--flush-interval", "200ms"])
        // curl keeps four requests in flight until the server is gone; each answer prints its status.
        let config = repository.directory.appendingPathComponent("load.curl")
        let url = "url = \"http://127.0.0.1:\(vigil.port)/v2/models/reg32/infer\"\noutput = \"/dev/null\"\n"
        try Data(String(repeating: url, count: 200_000).utf8).write(to: config)
        let load = Process()
        load.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        load.arguments = [
            "-s", "--no-progress-meter", "--parallel", "--parallel-max", "4", "-w", "%{http_code}\n",
            "-H", "Content-Type: application/json", "--data", Self.request, "-K", config.path,
        ]
        let output = Pipe()
        load.standardOutput = output
        load.standardError = FileHandle.nullDevice
        try load.run()
        Thread.sleep(forTimeInterval: 3)
        #expect(try vigil.stop(signal: SIGKILL) == SIGKILL)
        let statuses = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        load.waitUntilExit()
        let acceptedRows = Int64(statuses.filter { $0 == "200" }.count * 3)
        let logged = try loggedRows(path)
        let lost = acceptedRows - logged
        let perInterval = Double(acceptedRows) / 3 * interval
        print(
            "kill -9 under load: \(acceptedRows) rows answered 200 in 3 s, \(logged) logged, \(lost) lost; one flush interval is about \(Int(perInterval)) rows"
        )
        #expect(acceptedRows > 300, "the load did not run: \(statuses.prefix(5))")
        #expect(logged <= acceptedRows)
        // What the last flush had not written yet: one interval, plus the flush that was under way.
        #expect(Double(lost) <= 2 * perInterval + 12, "\(lost) rows lost; one interval is \(perInterval)")
        #expect(try Database(path: path).integrityCheck() == "ok")
        // The server starts again on the same file, serves, and keeps counting from where the file is.
        let restarted = try VigilProcess(arguments: ["--models", repository.directory.path, "--db", path, "--flush-interval", "100ms"])
        #expect(try restarted.post("/v2/models/reg32/infer", Self.request).0 == 200)
        #expect(restarted.wait(seconds: 10) { (try? loggedRows(path)) == logged + 3 })
        #expect(try restarted.stop(signal: SIGTERM) == 0)
    }
}
