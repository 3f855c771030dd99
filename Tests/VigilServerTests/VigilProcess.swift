import Foundation
import Synchronization

/// The real `vigil` binary running as a child process on a free loopback port.
final class VigilProcess: Sendable {
    let process: Process
    let port: Int
    private let output: OutputBuffer

    /// What the process printed, shared with the pipe's reader.
    final class OutputBuffer: Sendable {
        private let text = Mutex("")
        func append(_ more: String) { text.withLock { $0 += more } }
        var value: String { text.withLock { $0 } }
    }

    /// `VIGIL_BINARY` when set (CI points it at deploy/build-release.sh's release binary), else the
    /// `vigil` executable `swift test` built next to the test bundle.
    static var binary: URL {
        get throws {
            if let path = ProcessInfo.processInfo.environment["VIGIL_BINARY"], !path.isEmpty {
                guard FileManager.default.isExecutableFile(atPath: path) else {
                    throw ProcessFailure("VIGIL_BINARY=\(path) is not an executable")
                }
                return URL(fileURLWithPath: path)
            }
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vigil"),
                TestRepository.repositoryRoot.appendingPathComponent(".build/debug/vigil"),
            ]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw ProcessFailure("no vigil binary at \(candidates.map(\.path)); run `swift build` first")
            }
            return found
        }
    }

    /// Starts `vigil serve` with `arguments` plus `--port 0`, and waits until it listens; `binary`
    /// runs another copy of the executable.
    init(arguments: [String], binary: URL? = nil) throws {
        let process = Process()
        process.executableURL = try binary ?? Self.binary
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "info"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = OutputBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            output.append(String(decoding: handle.availableData, as: UTF8.self))
        }
        try process.run()
        var port: Int?
        let deadline = Date().addingTimeInterval(20)
        while port == nil && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            port = Self.listeningPort(in: output.value)
        }
        guard let port else {
            process.terminate()
            throw ProcessFailure("vigil did not start listening: \(output.value)")
        }
        self.process = process
        self.port = port
        self.output = output
    }

    static func listeningPort(in log: String) -> Int? {
        guard let range = log.range(of: "listening on 127.0.0.1:") else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    var log: String { output.value }

    /// POSTs `body` with curl (and `headers`) and returns the status code and body.
    func post(_ path: String, _ body: String, headers: [String] = []) throws -> (Int, String) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments =
            ["-s", "-w", "\n%{http_code}", "-X", "POST", "-H", "Content-Type: application/json"] + headers.flatMap { ["-H", $0] }
            + ["--data-binary", "@-", "http://127.0.0.1:\(port)\(path)"]
        let input = Pipe()
        let result = Pipe()
        curl.standardInput = input
        curl.standardOutput = result
        try curl.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try input.fileHandleForWriting.close()
        let data = result.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// GETs `path` with curl (`extra` are more curl arguments) and returns the status code and body.
    func get(_ path: String, _ extra: [String] = []) throws -> (Int, String) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "--max-time", "30", "-w", "\n%{http_code}"] + extra + ["http://127.0.0.1:\(port)\(path)"]
        let result = Pipe()
        curl.standardOutput = result
        try curl.run()
        let data = result.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// Polls `condition` every 100 ms for up to `seconds`; true once it holds.
    func wait(seconds: Double, until condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }

    /// Sends `signal` and waits (bounded) for the process to exit; returns its status.
    func stop(signal: Int32) throws -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else {
            process.terminate()
            throw ProcessFailure("vigil did not exit after signal \(signal)")
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
