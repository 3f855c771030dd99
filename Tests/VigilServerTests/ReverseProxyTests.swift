import Foundation
import Testing

/// Debian's nginx runs the shipped `deploy/nginx/vigil.conf`, with only its listen and upstream
/// ports rewritten, in front of the real `vigil` binary. Everything goes through `/vigil/`.
@Suite(.serialized, .enabled(if: LoopbackServer.which("nginx") != nil || ProcessInfo.processInfo.environment["CI"] != nil, "needs nginx"))
struct ReverseProxyTests {
    /// nginx reaches Vigil from 127.0.0.1, the only trusted proxy; tests play other clients from
    /// other loopback addresses.
    static let proxyAddress = "127.0.0.1"

    struct Stack {
        let vigil: VigilProcess
        let nginx: LoopbackServer
        var proxy: String { "http://127.0.0.1:\(nginx.port)/vigil" }
    }

    static func start() throws -> Stack {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let vigil = try VigilProcess(arguments: [
            "--models", TestRepository.repositoryRoot.appendingPathComponent("models").path,
            "--db", data.appendingPathComponent("vigil.sqlite").path,
            "--trusted-proxy", proxyAddress, "--access-log", "true",
        ])
        let nginx = try startNginx(upstreamPort: vigil.port, folder: data)
        return Stack(vigil: vigil, nginx: nginx)
    }

    /// The shipped configuration inside a minimal nginx.conf of a private prefix folder.
    static func startNginx(upstreamPort: Int, folder: URL) throws -> LoopbackServer {
        guard let nginx = LoopbackServer.which("nginx") else {
            throw ProcessFailure("nginx is not installed; .ci/run installs Debian's nginx")
        }
        let shipped = try String(
            contentsOf: TestRepository.repositoryRoot.appendingPathComponent("deploy/nginx/vigil.conf"), encoding: .utf8)
        let port = LoopbackServer.freePort()
        let site =
            shipped
            .replacingOccurrences(of: "server 127.0.0.1:8080;", with: "server 127.0.0.1:\(upstreamPort);")
            .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(port);")
        #expect(site != shipped && site.contains("127.0.0.1:\(port)") && site.contains("127.0.0.1:\(upstreamPort)"))
        let prefix = folder.appendingPathComponent("nginx")
        for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            let path = prefix.appendingPathComponent(temp)
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            // Workers run as nobody when nginx starts as root.
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path.path)
        }
        try site.write(to: prefix.appendingPathComponent("vigil.conf"), atomically: true, encoding: .utf8)
        let main = """
            worker_processes 1;
            daemon off;
            pid \(prefix.path)/nginx.pid;
            error_log \(prefix.path)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log \(prefix.path)/access.log;
                client_body_temp_path \(prefix.path)/body;
                proxy_temp_path \(prefix.path)/proxy;
                fastcgi_temp_path \(prefix.path)/fastcgi;
                uwsgi_temp_path \(prefix.path)/uwsgi;
                scgi_temp_path \(prefix.path)/scgi;
                include \(prefix.path)/vigil.conf;
            }
            """
        let configuration = prefix.appendingPathComponent("nginx.conf")
        try main.write(to: configuration, atomically: true, encoding: .utf8)
        let check = try Command.run(nginx, ["-t", "-q", "-p", prefix.path, "-c", configuration.path])
        #expect(check.status == 0, "nginx -t rejects the shipped vigil.conf: \(check.output)")
        return try LoopbackServer(
            executable: nginx, arguments: ["-p", prefix.path, "-c", configuration.path], port: port,
            readyPath: "/vigil/v2/health/live")
    }

    static let irisV2 = #"{"inputs":[{"name":"input","shape":[2,4],"datatype":"FP32","data":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}]}"#

    @Test func inferenceAndReadinessWorkUnderThePrefix() throws {
        let stack = try Self.start()
        let (status, body) = try Curl.run([
            "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", Self.irisV2,
            "\(stack.proxy)/v2/models/iris-logistic/infer",
        ])
        #expect(status == 200, "\(body)")
        #expect(body.contains(#""setosa""#) && body.contains(#""virginica""#), "\(body)")
        let v1 = try Curl.run([
            "-X", "POST", "--data-binary", #"{"instances": [[5.1, 3.5, 1.4, 0.2]]}"#, "\(stack.proxy)/v1/models/iris-logistic:predict",
        ])
        #expect(v1.status == 200 && v1.body == #"{"predictions":["setosa"]}"#, "\(v1)")
        #expect(try Curl.run(["\(stack.proxy)/v2/health/ready"]).status == 200)
        #expect(try Curl.run(["\(stack.proxy)/v2/models/iris-logistic/ready"]).status == 200)
        #expect(try Curl.run(["\(stack.proxy)/v2/models/no-such-model/ready"]).status == 404)
        // Keepalive to the upstream: many requests, no errors.
        for _ in 0..<20 { #expect(try Curl.run(["\(stack.proxy)/v2/health/live"]).status == 200) }
        #expect(try stack.vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func aBodyOverVigilsLimitGetsVigilsJSON413NotNginxsHTML() throws {
        let stack = try Self.start()
        // 16.5 MiB: past Vigil's default 16 MiB limit, within nginx's 17m.
        var body = Data(#"{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"padding":""#.utf8)
        body.append(Data(repeating: UInt8(ascii: "a"), count: 16 * 1024 * 1024 + 512 * 1024))
        body.append(Data(#""}"#.utf8))
        let (status, text) = try Curl.run(
            [
                "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@-",
                "\(stack.proxy)/v2/models/iris-logistic/infer",
            ], input: body)
        #expect(status == 413)
        let error = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["error"] as? String
        #expect(error?.contains("16777216") == true || error?.contains("16 MiB") == true, "not Vigil's error: \(text.prefix(300))")
        // Past nginx's own limit the answer is still JSON, from the shipped error_page.
        var huge = Data(repeating: UInt8(ascii: " "), count: 18 * 1024 * 1024)
        huge.append(Data("{}".utf8))
        let (hugeStatus, hugeText) = try Curl.run(
            [
                "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@-",
                "\(stack.proxy)/v2/models/iris-logistic/infer",
            ], input: huge)
        #expect(hugeStatus == 413)
        #expect(
            (try? JSONSerialization.jsonObject(with: Data(hugeText.utf8)) as? [String: Any])?["error"] != nil, "\(hugeText.prefix(300))")
        // Vigil keeps serving.
        #expect(try Curl.run(["\(stack.proxy)/v2/health/live"]).status == 200)
        #expect(try stack.vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func theLogShowsTheForwardedClientAndIgnoresForwardedHeadersFromOthers() throws {
        let stack = try Self.start()
        // Through nginx from 127.0.0.3: Vigil logs 127.0.0.3, not the proxy.
        #expect(try Curl.run(["--interface", "127.0.0.3", "\(stack.proxy)/v2/health/live"]).status == 200)
        // Straight to Vigil from 127.0.0.2 (not a trusted proxy), claiming to be someone else.
        let direct = "http://127.0.0.1:\(stack.vigil.port)"
        #expect(
            try Curl.run(["--interface", "127.0.0.2", "-H", "X-Forwarded-For: 198.51.100.9", "\(direct)/v2/health/ready"]).status == 200)
        let page = try Curl.run(["--interface", "127.0.0.2", "-H", "X-Forwarded-Prefix: /evil", "\(direct)/dashboard"])
        #expect(page.status == 200 && !page.body.contains("/evil/"), "an untrusted X-Forwarded-Prefix reached the links")
        let logged = stack.vigil.wait(seconds: 5) {
            stack.vigil.log.contains("client=127.0.0.3") && stack.vigil.log.contains("GET /v2/health/ready 200")
        }
        #expect(logged, "\(stack.vigil.log.suffix(2000))")
        let lines = stack.vigil.log.split(separator: "\n")
        let live = lines.first { $0.contains("GET /v2/health/live 200") && !$0.contains("client=127.0.0.1 ") }
        #expect(live?.contains("client=127.0.0.3") == true, "\(lines.filter { $0.contains("/v2/health/live") })")
        let ready = lines.first { $0.contains("GET /v2/health/ready 200") }
        #expect(ready?.contains("client=127.0.0.2") == true && ready?.contains("198.51.100.9") == false, "\(ready ?? "no line")")
        #expect(try stack.vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func everyDashboardLinkResolvesUnderThePrefix() throws {
        let stack = try Self.start()
        var pages = ["/vigil/dashboard"]
        var visited: Set<String> = []
        var checked: Set<String> = []
        let origin = "http://127.0.0.1:\(stack.nginx.port)"
        while let page = pages.popLast(), visited.count < 6 {
            guard visited.insert(page).inserted else { continue }
            let (status, html) = try Curl.run([origin + page])
            #expect(status == 200, "\(page) answered \(status)")
            for link in DashboardFixture.links(in: html) {
                let path = String(link.prefix { $0 != "#" })
                guard !path.isEmpty, checked.insert(path).inserted else { continue }
                #expect(path.hasPrefix("/vigil/"), "\(path) on \(page) leaves the prefix")
                let (linkStatus, _) = try Curl.run([origin + path])
                #expect(linkStatus != 404 && linkStatus != 0 && linkStatus < 500, "\(path) on \(page) answered \(linkStatus)")
                if path.hasPrefix("/vigil/dashboard/models/"), !path.contains("?") { pages.append(path) }
            }
        }
        #expect(visited.contains("/vigil/dashboard/models/iris-logistic"), "\(visited)")
        #expect(checked.count > 10, "only \(checked.count) links")
        // The bare prefix sends a browser to the dashboard.
        let redirect = try Curl.run(["-o", "/dev/null", "-D", "-", "\(origin)/vigil/"])
        let location = redirect.body.split(separator: "\r\n").first { $0.lowercased().hasPrefix("location:") }
        #expect(redirect.status == 301 && location?.hasSuffix("/vigil/dashboard") == true, "\(redirect)")
        #expect(try stack.vigil.stop(signal: SIGTERM) == 0)
    }

    @Test func tritonclientWorksWithTheURLPrefix() throws {
        let python =
            ProcessInfo.processInfo.environment["VIGIL_TEST_PYTHON"]
            ?? TestRepository.repositoryRoot.appendingPathComponent(".venv/bin/python").path
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "no Python venv with tritonclient at \(python); .ci/run makes it with tools/venv.sh")
        let stack = try Self.start()
        let (status, output) = try Command.run(
            python,
            [
                TestRepository.repositoryRoot.appendingPathComponent("tools/tritonclient_check.py").path,
                "127.0.0.1:\(stack.nginx.port)/vigil",
            ])
        #expect(status == 0, "\(output)")
        #expect(stack.vigil.log.contains("POST /v2/models/iris-logistic/infer 200"))
        #expect(try stack.vigil.stop(signal: SIGTERM) == 0)
    }
}
