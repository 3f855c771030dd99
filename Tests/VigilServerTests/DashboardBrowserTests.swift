import Foundation
import Testing

/// Headless Chromium (Debian's `chromium`, which `.ci/run` installs) against the real `vigil`
/// binary on loopback: screenshots, the DOM, every link with and without a base path, and the
/// same pages with JavaScript off.
@Suite(.serialized, .enabled(if: Chromium.isAvailable || ProcessInfo.processInfo.environment["CI"] != nil, "needs chromium"))
struct DashboardBrowserTests {
    /// A live server that has logged in-distribution traffic for `steady` and shifted traffic for
    /// `shifty`, and has run the monitor on both.
    func driftedServer(basePath: String?) throws -> (VigilProcess, TestRepository) {
        let repository = try DashboardFixture.repository()
        var arguments = [
            "--models", repository.directory.path, "--db", repository.directory.appendingPathComponent("vigil.sqlite").path,
            "--window", "1s", "--flush-interval", "200ms", "--drift-interval", "1s", "--alert-for", "1",
        ]
        if let basePath { arguments += ["--base-path", basePath] }
        let server = try VigilProcess(arguments: arguments)
        let base = basePath ?? ""
        var gaussian = Gaussian(seed: 8)
        #expect(
            try server.post("\(base)/v2/models/shifty/infer", DriftModels.batch(1500, shift: 1, unseen: 0.5, gaussian: &gaussian)).0 == 200)
        #expect(try server.post("\(base)/v2/models/steady/infer", DriftModels.batch(1500, gaussian: &gaussian)).0 == 200)
        let drifted = try server.wait(seconds: 20) {
            let (status, body) = try server.get("\(base)/v1/models/shifty/drift")
            let steady = try server.get("\(base)/v1/models/steady/drift")
            return status == 200 && body.contains(#""status":"drift""#) && steady.1.contains(#""status":"ok""#)
        }
        #expect(drifted, "the monitor never reported drift: \(server.log.suffix(2000))")
        return (server, repository)
    }

    static var outputFolder: URL {
        let folder = TestRepository.repositoryRoot.appendingPathComponent("test-output/dashboard")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func theOverviewAndModelPagesRenderWithChartsAndTheDriftedFeatureFirst() throws {
        let (server, _) = try driftedServer(basePath: nil)
        let root = "http://127.0.0.1:\(server.port)"
        try Chromium.screenshot("\(root)/dashboard", to: Self.outputFolder.appendingPathComponent("overview.png"))
        try Chromium.screenshot(
            "\(root)/dashboard/models/shifty", to: Self.outputFolder.appendingPathComponent("model-shifty.png"), height: 2400)
        for javascript in [true, false] {
            let overview = try Chromium.dom("\(root)/dashboard", javascript: javascript)
            #expect(overview.contains("<table class=\"models\">"))
            #expect(overview.contains("badge s-drift\">drift</span>"))
            #expect(overview.contains("<svg class=\"spark\""))
            let page = try Chromium.dom("\(root)/dashboard/models/shifty", javascript: javascript)
            #expect(page.contains("<table class=\"columns\">"))
            #expect(page.components(separatedBy: "<svg class=\"bars\"").count - 1 >= 5)
            #expect(DashboardTests.featureRows(page).first == "x1", "rows: \(DashboardTests.featureRows(page))")
            #expect(page.contains("Dataset drift:"))
        }
        // The JavaScript-off profile really stops scripts: a page that rewrites itself stays as served.
        let probe = Self.outputFolder.appendingPathComponent("script-probe.html")
        try Data(#"<p id="probe">static</p><script>document.getElementById("probe").textContent = "scripted"</script>"#.utf8).write(
            to: probe)
        #expect(try Chromium.dom(probe.absoluteString, javascript: false).contains(">static<"))
        #expect(try Chromium.dom(probe.absoluteString, javascript: true).contains(">scripted<"))
        let saved = try Data(contentsOf: Self.outputFolder.appendingPathComponent("overview.png"))
        #expect(saved.starts(with: [0x89, 0x50, 0x4E, 0x47]) && saved.count > 10_000)
        _ = try server.stop(signal: SIGTERM)
    }

    @Test(arguments: [nil, "/vigil"] as [String?])
    func everyLinkTheBrowserSeesResolves(basePath: String?) throws {
        let (server, _) = try driftedServer(basePath: basePath)
        let base = basePath ?? ""
        let origin = "http://127.0.0.1:\(server.port)"
        var pages = ["\(base)/dashboard"]
        var visited: Set<String> = []
        var checked: Set<String> = []
        while let page = pages.popLast(), visited.count < 12 {
            guard visited.insert(page).inserted else { continue }
            for javascript in [true, false] {
                let dom = try Chromium.dom(origin + page, javascript: javascript)
                #expect(dom.contains("<main>"), "\(page) did not render")
                for link in DashboardFixture.links(in: dom) {
                    let path = String(link.prefix { $0 != "#" })
                    guard !path.isEmpty, checked.insert(path).inserted else { continue }
                    #expect(path.hasPrefix("\(base)/"), "\(path) on \(page) leaves the base path")
                    let (status, _) = try server.get(path)
                    #expect(status != 404 && status != 0 && status < 500, "\(path) on \(page) answered \(status)")
                    // Model pages (without a query) are crawled too, so their links are checked.
                    if path.hasPrefix("\(base)/dashboard/models/"), !path.contains("?") { pages.append(path) }
                }
            }
        }
        #expect(visited.contains("\(base)/dashboard/models/shifty"))
        #expect(checked.count > 15, "only \(checked.count) links")
        _ = try server.stop(signal: SIGTERM)
    }
}

/// Debian's headless Chromium, run as a command: a DOM dump or a screenshot of one URL.
enum Chromium {
    static let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { binary != nil }

    /// The DOM after load. With `javascript` off, the profile blocks scripts as a user's setting
    /// would (`--blink-settings=scriptEnabled=false` would also stop the DOM dump itself).
    static func dom(_ url: String, javascript: Bool = true) throws -> String {
        // A first start on a new machine (font caches) has been seen to print nothing once; try again before failing.
        do { return try run(["--dump-dom", url], javascript: javascript) } catch {
            return try run(["--dump-dom", url], javascript: javascript)
        }
    }

    static func screenshot(_ url: String, to file: URL, width: Int = 1280, height: Int = 1400) throws {
        try? FileManager.default.removeItem(at: file)
        _ = try run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(file.path)", url])
        guard FileManager.default.fileExists(atPath: file.path) else { throw ProcessFailure("chromium wrote no screenshot of \(url)") }
    }

    /// Runs chromium headless (as root it needs --no-sandbox) with a private profile, for at most 60 s.
    private static func run(_ arguments: [String], javascript: Bool = true) throws -> String {
        guard let binary else { throw ProcessFailure("chromium is not installed; .ci/run installs Debian's chromium") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        if !javascript {
            let preferences = profile.appendingPathComponent("Default/Preferences")
            try FileManager.default.createDirectory(at: preferences.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(#"{"profile":{"default_content_setting_values":{"javascript":2}}}"#.utf8).write(to: preferences)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile.path)",
            ] + arguments
        let outputFile = profile.appendingPathExtension("out")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        process.standardOutput = output
        let errorFile = profile.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            throw ProcessFailure("chromium did not finish within 60 s: \(arguments)")
        }
        let text = String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
        if text.isEmpty && arguments.contains("--dump-dom") {
            throw ProcessFailure(
                "chromium printed no DOM for \(arguments) (exit \(process.terminationStatus)): \(String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self).suffix(3000))"
            )
        }
        return text
    }
}
