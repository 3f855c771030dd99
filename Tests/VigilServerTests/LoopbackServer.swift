import Foundation

/// A server from Debian's packages (nginx, Alertmanager) running for one test on a free loopback
/// port, stopped by its PID when the test lets it go.
final class LoopbackServer: Sendable {
    let process: Process
    let port: Int
    private let output: VigilProcess.OutputBuffer

    /// Starts `executable` and waits (bounded) until `http://127.0.0.1:port/readyPath` answers.
    init(executable: String, arguments: [String], port: Int, readyPath: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = VigilProcess.OutputBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            output.append(String(decoding: handle.availableData, as: UTF8.self))
        }
        try process.run()
        self.process = process
        self.port = port
        self.output = output
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && process.isRunning {
            if let (status, _) = try? Curl.run(["http://127.0.0.1:\(port)\(readyPath)"]), status != 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(process.processIdentifier, SIGKILL)
        throw ProcessFailure("\(executable) did not start on port \(port): \(output.value)")
    }

    var log: String { output.value }

    /// The path of a command from Debian's packages, if installed.
    static func which(_ name: String) -> String? {
        ["/usr/sbin/\(name)", "/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A loopback port nothing listens on right now.
    static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// curl as a client: any arguments, the status code and body back.
enum Curl {
    static func run(_ arguments: [String], input: Data? = nil) throws -> (status: Int, body: String) {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "--max-time", "60", "-w", "\n%{http_code}"] + arguments
        let result = Pipe()
        curl.standardOutput = result
        let stdin = Pipe()
        if input != nil { curl.standardInput = stdin }
        try curl.run()
        if let input {
            let writer = stdin.fileHandleForWriting
            // Written from another thread, so a large body cannot deadlock against a full stdout pipe.
            Thread.detachNewThread {
                writer.write(input)
                try? writer.close()
            }
        }
        let data = result.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}
