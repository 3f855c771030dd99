import Foundation
import Synchronization
import Testing
import VigilStats
import VigilStore

/// SIGTERM while concurrent clients keep the real binary busy: every request Vigil answered got a
/// whole 200, the process exits 0, and the feature log holds every row it answered.
@Suite(.serialized)
struct GracefulShutdownTests {
    static let clients = 8
    /// Each client's run is bounded; SIGTERM comes long before the bound.
    static let maximumRequestsPerClient = 4000

    @Test func aConnectionThatNeverSendsDoesNotHoldUpTheShutdown() throws {
        let repository = try TestRepository(includeBroken: false)
        // Neither the idle timeout nor the shutdown timeout would end it within the 20 s stop() waits.
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--feature-log", "false",
            "--idle-timeout", "120s", "--shutdown-timeout", "60s",
        ])
        let fd = try LoopbackServer.connect(port: vigil.port)
        defer { close(fd) }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func sigtermUnderLoadAnswersEveryAcceptedRequestAndLogsEveryAnsweredRow() throws {
        let repository = try TestRepository(includeBroken: false)
        let path = repository.directory.appendingPathComponent("drain.sqlite").path
        // Only the shutdown flush writes: an hour between flushes.
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--db", path, "--flush-interval", "1h",
            "--shutdown-timeout", "20s",
        ])
        let bodyFile = repository.directory.appendingPathComponent("body.json")
        try Data(#"{"inputs":[{"name":"input","shape":[3,2],"datatype":"FP32","data":[[1,2],[3,4],[5,6]]}]}"#.utf8).write(to: bodyFile)
        let url = "http://127.0.0.1:\(vigil.port)/v2/models/reg32/infer"
        // One request first, for the size of a whole answer (every answer to this body is the same).
        let (status, answer) = try Curl.run([
            "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@\(bodyFile.path)", url,
        ])
        #expect(status == 200 && answer.contains("[9,19,29]"), "\(answer)")
        let wholeSize = answer.utf8.count

        // Each client is one curl sending its requests one after another on a keepalive connection,
        // printing the status and size of every transfer (000 for one that got no answer).
        var block = "url = \"\(url)\"\nrequest = \"POST\"\nheader = \"Content-Type: application/json\"\n"
        block +=
            "data-binary = \"@\(bodyFile.path)\"\noutput = \"/dev/null\"\nwrite-out = \"%{http_code} %{size_download}\\n\"\nmax-time = 10\n"
        let config = repository.directory.appendingPathComponent("load.curlrc")
        try Array(repeating: block, count: Self.maximumRequestsPerClient).joined(separator: "next\n").write(
            to: config, atomically: true, encoding: .utf8)
        var clients: [(Process, Pipe)] = []
        for _ in 0..<Self.clients {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-s", "-K", config.path]
            let pipe = Pipe()
            curl.standardOutput = pipe
            try curl.run()
            clients.append((curl, pipe))
        }
        let outputs = Outputs()
        let readers = DispatchGroup()
        for (index, (_, pipe)) in clients.enumerated() {
            readers.enter()
            Thread.detachNewThread {
                let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                outputs.set(index, text)
                readers.leave()
            }
        }
        // Let the load run, then ask Vigil to stop while requests are in flight.
        Thread.sleep(forTimeInterval: 1.5)
        #expect(clients.allSatisfy { $0.0.isRunning }, "the load ended before SIGTERM")
        kill(vigil.process.processIdentifier, SIGTERM)
        #expect(readers.wait(timeout: .now() + 120) == .success)
        for (curl, _) in clients { curl.waitUntilExit() }
        let deadline = Date().addingTimeInterval(30)
        while vigil.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!vigil.process.isRunning)
        #expect(vigil.process.terminationStatus == 0, "\(vigil.log.suffix(2000))")

        var answered = 0
        var unanswered = 0
        for line in outputs.all.joined(separator: "\n").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            if fields[0] == "000" {
                unanswered += 1
            } else {
                // Anything answered is a whole 200: no 5xx, no cut-off body.
                #expect(fields[0] == "200" && Int(fields[1]) == wholeSize, "a transfer got \(line)")
                answered += 1
            }
        }
        #expect(answered > 100, "only \(answered) requests were answered before SIGTERM")
        #expect(unanswered > 0, "no request was refused after SIGTERM, so the load did not outlast it")
        let database = try Database(path: path)
        let windows = try SQLiteFeatureWindowStore(database: database).aggregate(model: "reg32", from: 0, to: Int64.max)
        let rows = windows[ColumnKey(model: "reg32", role: .input, feature: "a")]?.moments.count ?? 0
        // The first, sizing request is logged too.
        #expect(rows == Int64(3 * (answered + 1)), "\(rows) rows logged for \(answered + 1) answered requests of 3 rows")
    }
}

/// Each client's printed lines, filled in by its reader thread.
final class Outputs: Sendable {
    private let texts = Mutex<[Int: String]>([:])
    func set(_ index: Int, _ text: String) { texts.withLock { $0[index] = text } }
    var all: [String] { texts.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }
}
