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

    /// A TCP connection to 127.0.0.1:`port`, as a file descriptor the caller closes.
    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw ProcessFailure("cannot connect to port \(port)")
        }
        return fd
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
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
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
        // -s keeps curl's own messages out of the output; the status follows the body on a line of its own.
        let (_, text) = try Command.run("/usr/bin/curl", ["-s", "--max-time", "60", "-w", "\n%{http_code}"] + arguments, input: input)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}

/// A command run to completion: its exit status and what it printed (standard output and error).
enum Command {
    static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            let writer = stdin.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(input)
                try? writer.close()
            }
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
