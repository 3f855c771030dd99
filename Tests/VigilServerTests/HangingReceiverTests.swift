import Foundation
import Testing

/// A socket that takes connections into its backlog and never answers: a webhook receiver that hangs.
final class HangingListener: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 64) == 0 else { throw ProcessFailure("cannot listen on a loopback port") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Foundation.close(fd) }
}

/// A webhook receiver that hangs delays no prediction and no drift run, and gets its alert once it
/// answers again.
@Suite(.serialized)
struct HangingReceiverTests {
    @Test func aHangingWebhookDelaysNothingAndGetsTheAlertWhenItAnswersAgain() async throws {
        let repository = try TestRepository(includeBroken: false)
        try DriftModels.write(into: repository)
        let hanging = try HangingListener()
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--db", repository.directory.appendingPathComponent("vigil.sqlite").path,
            "--window", "1s", "--flush-interval", "200ms", "--drift-interval", "1s", "--alert-for", "1",
            "--alert-webhook", "http://127.0.0.1:\(hanging.port)/hook",
        ])
        var gaussian = Gaussian(seed: 4)
        #expect(try vigil.post("/v2/models/shifty/infer", DriftModels.batch(2500, shift: 1, gaussian: &gaussian)).0 == 200)
        // The notification is queued and its first attempt hangs until the client's timeout.
        let hung = try vigil.wait(seconds: 30) { vigil.log.contains("notification not delivered; will retry") }
        #expect(hung, "\(vigil.log.suffix(2000))")
        // Meanwhile predictions are answered and drift runs go on.
        let runs = try vigil.get("/v1/models/shifty/drift/history").1.components(separatedBy: "\"createdAt\"").count
        for _ in 0..<20 {
            #expect(
                try vigil.post("/v2/models/reg32/infer", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,1]}]}"#).0
                    == 200)
        }
        let moreRuns = try vigil.wait(seconds: 10) {
            try vigil.get("/v1/models/shifty/drift/history").1.components(separatedBy: "\"createdAt\"").count > runs + 1
        }
        #expect(moreRuns, "no drift run while the webhook hung")
        // The receiver comes back on the same port and gets the alert from the outbox.
        hanging.close()
        let receiver = WebhookReceiver()
        let delivered = try await receiver.serving(port: hanging.port) {
            let deadline = Date().addingTimeInterval(60)
            while receiver.deliveries.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            return !receiver.deliveries.isEmpty
        }
        #expect(delivered, "the alert never reached the receiver: \(vigil.log.suffix(2000))")
        let body = receiver.deliveries.first.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        #expect(body.contains("\"model\":\"shifty\"") && body.contains("\"status\":\"firing\""), "\(body.prefix(400))")
        #expect(try vigil.stop(signal: SIGTERM) == 0)
    }
}
