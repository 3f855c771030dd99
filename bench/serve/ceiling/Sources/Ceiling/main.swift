#if canImport(Glibc)
import Glibc
#endif
import Hummingbird

// Usage: Ceiling PORT BODY_FILE
// Reads the request body (as any server must) and answers with the bytes of BODY_FILE.
let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]), let file = fopen(arguments[2], "rb") else {
    fatalError("usage: Ceiling PORT BODY_FILE")
}
var bytes: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 4096)
while case let count = fread(&chunk, 1, chunk.count, file), count > 0 { bytes += chunk[..<count] }
fclose(file)
let reply = ByteBuffer(bytes: bytes)

let router = Router()
router.post("**") { request, _ -> Response in
    _ = try await request.body.collect(upTo: 1 << 20)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: reply))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "ceiling"))
try await app.runService()
