import Foundation
import Testing

/// Every curl example in the README and `docs/`, and the README's tritonclient example, runs as
/// written against the real binary serving the bundled models, in the order the documents give
/// them, and gets a 2xx (an acknowledgement of an alert that does not exist, a 404).
struct DocumentationExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let documents: [URL] = {
        let docs = root.appendingPathComponent("docs")
        let pages = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        return [root.appendingPathComponent("README.md")] + pages.map { docs.appendingPathComponent($0) }
    }()

    /// The code blocks of `markdown` fenced as `language`.
    static func blocks(_ markdown: String, language: String) -> [String] {
        var blocks: [String] = []
        var current: [String]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = current {
                if trimmed == "```" {
                    blocks.append(open.joined(separator: "\n"))
                    current = nil
                } else {
                    current = open + [String(line)]
                }
            } else if trimmed == "```" + language {
                current = []
            }
        }
        return blocks
    }

    /// The shell commands of `block` that call curl, with their continuation lines (after a
    /// backslash, or inside a quoted argument) joined.
    static func curlCommands(_ block: String) -> [String] {
        var commands: [String] = []
        var pending = ""
        for line in block.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && text.hasPrefix("#") { continue }
            if text.hasSuffix("\\") {
                pending += text.dropLast() + " "
                continue
            }
            let command = pending + text
            if command.filter({ $0 == "'" }).count % 2 == 1 {
                pending = command + " "
                continue
            }
            pending = ""
            if command.hasPrefix("curl ") || command.contains("| curl ") { commands.append(command) }
        }
        return commands
    }

    static let examples: [(document: String, command: String)] = documents.flatMap { url in
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return blocks(text, language: "sh").flatMap(curlCommands).map { (url.lastPathComponent, $0) }
    }

    @Test func theDocumentsHaveCurlExamplesForEveryProtocol() {
        let commands = Self.examples.map(\.command)
        #expect(commands.contains { $0.contains("/v2/models/") && $0.contains("/infer") })
        #expect(commands.contains { $0.contains(":predict") })
        #expect(commands.contains { $0.contains("/drift") })
        #expect(commands.count >= 20, "\(commands.count) curl examples")
    }

    @Test func everyCurlExampleRunsAsWritten() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-docs-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: database) }
        let vigil = try VigilProcess(arguments: [
            "--models", Self.root.appendingPathComponent("models").path, "--db", database.path, "--admin-token", "TOKEN",
            "--drift-interval", "1s", "--flush-interval", "200ms",
        ])
        for (document, command) in Self.examples {
            let local = command.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(vigil.port)")
            guard let curl = local.range(of: "curl ") else { continue }
            let measured = local.replacingCharacters(in: curl, with: "curl -s -o /dev/null -w '%{http_code}' --max-time 20 ")
            var (status, _) = try Self.shell(measured)
            // A model's first drift report comes one drift run after its first requests.
            if command.contains("/drift") {
                _ = try vigil.wait(seconds: 10) {
                    (status, _) = try Self.shell(measured)
                    return status != 404
                }
            }
            let allowed = command.contains("/ack") ? 404 : nil
            #expect((200..<300).contains(status) || status == allowed, "\(document): \(command) answered \(status)")
        }
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func theReadmesTritonclientExampleRuns() throws {
        guard let python = ProcessInfo.processInfo.environment["VIGIL_TEST_PYTHON"], !python.isEmpty else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI sets VIGIL_TEST_PYTHON (tools/venv.sh)")
            return
        }
        let readme = try String(contentsOf: Self.documents[0], encoding: .utf8)
        let example = try #require(Self.blocks(readme, language: "python").first { $0.contains("tritonclient") })
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-docs-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: database) }
        let vigil = try VigilProcess(arguments: ["--models", Self.root.appendingPathComponent("models").path, "--db", database.path])
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-readme-\(UUID().uuidString).py")
        defer { try? FileManager.default.removeItem(at: script) }
        try example.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(vigil.port)").write(
            to: script, atomically: true, encoding: .utf8)
        let (status, output) = try Command.run(python, [script.path])
        #expect(status == 0, "\(output)")
        // The example prints the labels and the probabilities of one setosa row.
        #expect(output.contains("setosa"), "\(output)")
        _ = try vigil.stop(signal: SIGTERM)
    }

    /// Runs `command` with bash; what it prints read as a status code.
    static func shell(_ command: String) throws -> (Int, String) {
        let (_, output) = try Command.run("/bin/bash", ["-c", command])
        return (Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, output)
    }
}
