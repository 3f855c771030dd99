import Foundation
import Testing

/// HEAD, as `curl -I` and uptime checks send it, over real HTTP: the GET's status and headers, no body.
struct HeadRequestTests {
    @Test func headAnswersWhereGetDoesWithItsHeadersAndNoBody() throws {
        let repository = try TestRepository(includeBroken: false)
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path])
        for path in ["/v2/health/ready", "/v2/models/iris", "/dashboard", "/v1/alerts", "/openapi.json"] {
            let (getStatus, getBody) = try vigil.get(path)
            // -I sends HEAD and prints the headers; the body, were there one, would follow them.
            let (headStatus, headOutput) = try vigil.get(path, ["-I"])
            #expect(headStatus == getStatus && getStatus == 200, "\(path): GET \(getStatus), HEAD \(headStatus)")
            let lines = headOutput.replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false)
            let length = lines.first { $0.lowercased().hasPrefix("content-length:") }.map {
                $0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
            }
            #expect(
                length == String(getBody.utf8.count), "\(path): HEAD says \(length ?? "no length"), GET sent \(getBody.utf8.count) bytes")
            let blank = lines.firstIndex(of: "")
            #expect(blank != nil, "\(path): no end of headers in \(headOutput.prefix(300))")
            let afterHeaders = blank.map { Array(lines[($0 + 1)...]) } ?? []
            let bodyLines = afterHeaders.filter { !$0.isEmpty }
            #expect(bodyLines.isEmpty, "\(path): HEAD had a body")
        }
        // A path with no GET route stays 404 for HEAD too.
        #expect(try vigil.get("/no/such/page", ["-I"]).0 == 404)
        _ = try vigil.stop(signal: SIGTERM)
    }
}
