import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import VigilStats

/// Normal variates from a seeded generator (Box–Muller), so drift scenarios have known truth.
struct Gaussian {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next(mean: Double = 0, sd: Double = 1) -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return mean + sd * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    mutating func category(_ count: Int) -> Int { Int.random(in: 0..<count, using: &generator) }
}

/// Two models over features x1, x2, x3 (numeric, N(0, 1)) and c (categorical, 0/1/2):
/// `steady` (20,000 reference rows, default drift settings) and `shifty` (5,000 rows, tested on its last 2,000 rows).
enum DriftModels {
    static let model =
        #"{"format":"vigil-linear","kind":"regression","features":["x1","x2","x3","c"],"coefficients":[[1,1,1,1]],"intercepts":[0]}"#

    static func write(into repository: TestRepository) throws {
        var gaussian = Gaussian(seed: 99)
        for (name, rows, drift) in [("steady", 20_000, ""), ("shifty", 5_000, #","drift":{"last_rows":2000}"#)] {
            try repository.write("\(name)/model.json", model)
            var csv = "x1,x2,x3,c\n"
            for _ in 0..<rows {
                csv += String(format: "%.5f,%.5f,%.5f,%d\n", gaussian.next(), gaussian.next(), gaussian.next(), gaussian.category(3))
            }
            try repository.write("\(name)/reference.csv", csv)
            try repository.write("\(name)/vigil.json", #"{"features":["x1","x2","x3",{"name":"c","type":"categorical"}]"# + drift + "}")
        }
    }

    /// A V2 body of `rows` rows: x1 ~ N(shift, 1), x2, x3 ~ N(0, 1), c uniform on 0…2 or, with `unseen`, 7 for that share of rows.
    static func batch(_ rows: Int, shift: Double = 0, unseen: Double = 0, gaussian: inout Gaussian) -> String {
        var values: [String] = []
        values.reserveCapacity(rows)
        for _ in 0..<rows {
            let c = Double.random(in: 0..<1, using: &gaussian.generator) < unseen ? 7 : gaussian.category(3)
            values.append(String(format: "[%.5f,%.5f,%.5f,%d]", gaussian.next(mean: shift), gaussian.next(), gaussian.next(), c))
        }
        return #"{"inputs":[{"name":"input","shape":[\#(rows),4],"datatype":"FP64","data":[\#(values.joined(separator: ","))]}]}"#
    }
}

/// A webhook receiver on loopback that records what it is sent and answers from a script.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var path: String
        var contentType: String?
        var body: [UInt8]
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    private let state = Mutex<(deliveries: [Delivery], script: [Int], retryAfter: String?)>(([], [], nil))

    /// The statuses to answer with, in order; once used up, 200.
    init(script: [Int] = [], retryAfter: String? = nil) {
        state.withLock { $0 = ([], script, retryAfter) }
    }

    var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// The application to run with `.live` (which picks a free port itself).
    func application() -> some ApplicationProtocol {
        application(port: 0) { _ in }
    }

    /// Runs the receiver on 127.0.0.1:`port` while `body` runs, then stops it.
    func serving<T: Sendable>(port: Int, _ body: @Sendable () async throws -> T) async throws -> T {
        let (started, continuation) = AsyncStream<Void>.makeStream()
        let app = application(port: port) { _ in continuation.yield() }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        do {
            let value = try await body()
            await group.triggerGracefulShutdown()
            try await task.value
            return value
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
    }

    private func application(port: Int, onRunning: @escaping @Sendable (any Channel) async -> Void) -> Application<
        RouterResponder<BasicRequestContext>
    > {
        let router = Router()
        router.post("{path}") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let (status, retryAfter): (Int, String?) = self.state.withLock { state in
                state.deliveries.append(
                    Delivery(path: request.uri.path, contentType: request.headers[.contentType], body: Array(buffer: body)))
                let status = state.script.isEmpty ? 200 : state.script.removeFirst()
                return (status, state.retryAfter)
            }
            var headers: HTTPFields = [:]
            if status == 429, let retryAfter { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: headers)
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .critical
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), onServerRunning: onRunning, logger: logger)
    }
}
