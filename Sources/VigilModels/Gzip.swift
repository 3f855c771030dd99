import CZlib

/// Why gzip data could not be inflated.
public enum GzipError: Error, Sendable, Equatable {
    /// The inflated data would exceed the limit given.
    case tooLarge(limit: Int)
    /// The data is not valid gzip (or zlib) data.
    case corrupt(String)
}

/// gzip compression and bounded decompression through zlib.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number.
    public static func hasGzipHeader(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1f && iterator.next() == 0x8b
    }

    /// Inflates gzip data (concatenated members included), failing once the output passes `limit` bytes.
    ///
    /// The limit is checked as output grows, so a small bomb never allocates more than `limit` plus one chunk.
    public static func decompress(_ input: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: gzip wrapper only; the deflate window is the maximum.
        guard vigil_inflateInit2(&stream, 15 + 16) == Z_OK else { throw .corrupt("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        var finished = false
        let result: Result<Void, GzipError> = input.withUnsafeBufferPointer { inBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(chunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                if output.count + produced > limit { return .failure(.tooLarge(limit: limit)) }
                output.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow (as `cat a.gz b.gz` makes).
                    if stream.avail_in == 0 {
                        finished = true
                        return .success(())
                    }
                    guard inflateReset(&stream) == Z_OK else { return .failure(.corrupt("zlib could not reset")) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0 && produced == 0:
                    return .success(())
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    return .failure(.corrupt(message))
                }
            }
        }
        try result.get()
        guard finished else { throw .corrupt("the gzip stream is truncated") }
        return output
    }

    /// Deflates `input` into one gzip member; `level` is zlib's 0–9, or -1 for its default (6).
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = -1) -> [UInt8] {
        var stream = z_stream()
        guard vigil_deflateInit2(&stream, level, 15 + 16) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBufferPointer { outBuffer -> Int in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
            stream.avail_in = UInt32(input.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = UInt32(bound)
            let status = deflate(&stream, Z_FINISH)
            return status == Z_STREAM_END ? bound - Int(stream.avail_out) : -1
        }
        guard written >= 0 else { return [] }
        output.removeSubrange(written...)
        return output
    }
}
