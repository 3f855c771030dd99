import Foundation
import Testing

/// `vigil drift` on two CSV files, as a CI pipeline would run it.
struct OfflineDriftCommandTests {
    func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = try VigilProcess.binary
        process.arguments = ["drift"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func files() throws -> (URL, URL, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-drift-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var gaussian = Gaussian(seed: 31)
        func csv(rows: Int, shift: Double, colours: [String]) -> String {
            var text = "x,y,colour,label\n"
            for _ in 0..<rows {
                // Interpolation, not %@: String(format:) with a Swift String is unsafe on Linux.
                let x = String(format: "%.5f", gaussian.next(mean: shift))
                let y = String(format: "%.5f", gaussian.next())
                text += "\(x),\(y),\(colours[gaussian.category(colours.count)]),\(gaussian.category(2))\n"
            }
            return text
        }
        let reference = folder.appendingPathComponent("reference.csv")
        let same = folder.appendingPathComponent("same.csv")
        let shifted = folder.appendingPathComponent("shifted.csv")
        try Data(csv(rows: 3000, shift: 0, colours: ["red", "blue"]).utf8).write(to: reference)
        try Data(csv(rows: 2000, shift: 0, colours: ["red", "blue"]).utf8).write(to: same)
        try Data(csv(rows: 2000, shift: 0.8, colours: ["red", "green"]).utf8).write(to: shifted)
        return (reference, same, shifted)
    }

    @Test func theExitCodeGatesOnDatasetDrift() throws {
        let (reference, same, shifted) = try files()
        let (clean, cleanText) = try run(["--reference", reference.path, "--current", same.path])
        #expect(clean == 0, "\(cleanText)")
        #expect(cleanText.hasPrefix("no dataset drift"))
        let (drift, driftText) = try run(["--reference", reference.path, "--current", shifted.path])
        #expect(drift == 1, "\(driftText)")
        #expect(driftText.hasPrefix("DATASET DRIFT"))
    }

    @Test func jsonIsTheFullReportAndConfigIgnoresColumns() throws {
        let (reference, _, shifted) = try files()
        let config = reference.deletingLastPathComponent().appendingPathComponent("vigil.json")
        try Data(#"{"ignore_columns":["label"],"features":["x","y",{"name":"colour","type":"categorical","critical":true}]}"#.utf8).write(
            to: config)
        let (status, text) = try run([
            "--reference", reference.path, "--current", shifted.path, "--format", "json", "--model-config", config.path,
        ])
        #expect(status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let features = try #require(json["features"] as? [[String: Any]])
        #expect(features.map { $0["name"] as? String } == ["x", "y", "colour"])
        #expect(features.map { $0["drifted"] as? Bool } == [true, false, true])
        #expect(features[2]["critical"] as? Bool == true)
        #expect(abs((features[2]["unseenShare"] as? Double ?? 0) - 0.5) < 0.05)
        #expect(json["referenceRows"] as? Int == 3000)
    }

    @Test func htmlIsTheDashboardsModelPageAsOneStandaloneFile() throws {
        let (reference, current, _) = try files()
        let (_, html) = try run(["--reference", reference.path, "--current", current.path, "--format", "html"])
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<style>") && !html.contains("<link rel=\"stylesheet\""))
        #expect(html.contains("<table class=\"columns\">"))
        #expect(html.components(separatedBy: "<svg class=\"bars\"").count - 1 == 4)
        #expect(!html.contains("href=\"/"), "a standalone file links to no server")
        #expect(!html.contains("http-equiv=\"refresh\""))
    }

    @Test func htmlEscapesNamesAndMissingFilesExitTwo() throws {
        let (reference, _, _) = try files()
        let hostile = reference.deletingLastPathComponent().appendingPathComponent("hostile.csv")
        try Data("<script>alert(1)</script>,y\n1,2\n3,4\n".utf8).write(to: hostile)
        let (_, html) = try run(["--reference", hostile.path, "--current", hostile.path, "--format", "html"])
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        let (missing, message) = try run(["--reference", reference.path, "--current", "/no/such.csv"])
        #expect(missing == 2)
        #expect(message.contains("cannot read /no/such.csv"))
    }
}
