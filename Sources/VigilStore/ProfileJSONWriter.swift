import VigilModels
import VigilStats

/// Where `ProfileJSONWriter` puts its bytes.
protocol ProfileJSONSink {
    mutating func byte(_ value: UInt8)
    mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>)
}

extension ProfileJSONSink {
    mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>) {
        for value in buffer { byte(value) }
    }
}

/// The bytes themselves: a profile's stored JSON.
struct ProfileJSONBytes: ProfileJSONSink {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }
}

/// FNV-1a (64 bits) over the bytes, which are never kept: a profile's fingerprint.
struct ProfileJSONHash: ProfileJSONSink {
    private(set) var hash = ContentHash.FNV1a()

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        hash.add(value)
    }
}

/// A reference profile as the JSON that `JSONEncoder` writes for it with sorted keys and
/// non-finite numbers as the strings "inf", "-inf" and "nan", byte for byte, into a sink.
///
/// Fingerprints are FNV-1a over these bytes with an empty `fingerprint` field, and stored profiles
/// are these bytes with the real one. Written through Codable's generic containers, the fingerprint
/// alone was a large share of the time to ready. Windows and stored profiles are keyed by the fingerprint, so the bytes must
/// not change between versions: `ProfileJSONWriterTests` checks them against `JSONEncoder` on every
/// bundled model and on generated profiles with hostile names and extreme numbers. A new stored
/// property in a profile type changes `JSONEncoder`'s output, which those tests then report here.
///
/// The server's answer writer (`JSONSink` in VigilServer) is a separate one on purpose: it writes
/// what the server's encoder is configured for (slashes unescaped, `"NaN"` and `"Infinity"`), and
/// may change with the protocol; these bytes are frozen by every fingerprint already stored.
struct ProfileJSONWriter<Sink: ProfileJSONSink> {
    private(set) var sink: Sink

    init(into sink: Sink) {
        self.sink = sink
    }

    /// Writes `profile`, with `fingerprint` in place of its own. Keys go in the order JSONEncoder
    /// sorts them: by their UTF-8 bytes.
    mutating func write(_ profile: ReferenceProfile, fingerprint: String) {
        text("{\"columns\":[")
        for (index, column) in profile.columns.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            write(column)
        }
        text("],\"fingerprint\":")
        string(fingerprint)
        text(",\"model\":")
        string(profile.model)
        text(",\"rowCount\":")
        integer(profile.rowCount)
        text(",\"version\":")
        integer(profile.version)
        byte(UInt8(ascii: "}"))
    }

    private mutating func write(_ column: ColumnProfile) {
        text("{\"binCounts\":")
        numbers(column.binCounts)
        if let bins = column.bins {
            text(",\"bins\":{\"edges\":")
            numbers(bins.edges)
            byte(UInt8(ascii: "}"))
        }
        text(",\"categories\":{")
        let categories = column.categories.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (index, category) in categories.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            string(category.key)
            byte(UInt8(ascii: ":"))
            integer(category.value)
        }
        text("},\"critical\":")
        text(column.critical ? "true" : "false")
        text(",\"kind\":")
        string(column.kind.rawValue)
        text(",\"moments\":")
        write(column.moments)
        text(",\"name\":")
        string(column.name)
        text(",\"role\":")
        string(column.role.rawValue)
        text(",\"sample\":")
        numbers(column.sample)
        byte(UInt8(ascii: "}"))
    }

    private mutating func write(_ moments: NumericMoments) {
        text("{\"count\":")
        integer(moments.count)
        text(",\"maximum\":")
        number(moments.maximum)
        text(",\"minimum\":")
        number(moments.minimum)
        text(",\"missing\":")
        integer(moments.missing)
        text(",\"sum\":")
        number(moments.sum)
        text(",\"sumOfSquares\":")
        number(moments.sumOfSquares)
        byte(UInt8(ascii: "}"))
    }

    @inline(__always)
    private mutating func byte(_ value: UInt8) {
        sink.byte(value)
    }

    private mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>) {
        sink.bytes(buffer)
    }

    private mutating func text(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes($0) }
    }

    private mutating func integer(_ value: some BinaryInteger) {
        var text = String(value)
        text.withUTF8 { bytes($0) }
    }

    private mutating func numbers(_ values: [Double]) {
        byte(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            number(value)
        }
        byte(UInt8(ascii: "]"))
    }

    /// Swift's shortest spelling less a trailing ".0" (`1`, `-0`, `1e+16`), as JSONEncoder writes.
    private mutating func number(_ value: Double) {
        guard value.isFinite else {
            text(value.isNaN ? "\"nan\"" : value < 0 ? "\"-inf\"" : "\"inf\"")
            return
        }
        var spelled = value.description
        spelled.withUTF8 { spelling in
            let count = spelling.count
            let whole = count >= 2 && spelling[count - 2] == UInt8(ascii: ".") && spelling[count - 1] == UInt8(ascii: "0")
            bytes(UnsafeBufferPointer(rebasing: spelling[..<(whole ? count - 2 : count)]))
        }
    }

    /// A JSON string as JSONEncoder escapes it: quote, backslash and slash behind a backslash, the
    /// short escapes for \b \f \n \r \t, other control bytes as \u00xx, everything else as it is.
    private mutating func string(_ value: String) {
        byte(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            for unit in utf8 {
                switch unit {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    byte(UInt8(ascii: "\\"))
                    byte(unit)
                case 0x08: text("\\b")
                case 0x0C: text("\\f")
                case 0x0A: text("\\n")
                case 0x0D: text("\\r")
                case 0x09: text("\\t")
                case 0x00...0x1F:
                    text("\\u00")
                    byte(Self.hexDigits.utf8Start[Int(unit >> 4)])
                    byte(Self.hexDigits.utf8Start[Int(unit & 0x0F)])
                default:
                    byte(unit)
                }
            }
        }
        byte(UInt8(ascii: "\""))
    }

    private static var hexDigits: StaticString { "0123456789abcdef" }
}

extension ReferenceProfile {
    /// The profile's stored form: `JSONEncoder`'s sorted-keys JSON of it (see `ProfileJSONWriter`).
    public func jsonBytes() -> [UInt8] {
        var writer = ProfileJSONWriter(into: ProfileJSONBytes())
        writer.write(self, fingerprint: fingerprint)
        return writer.sink.bytes
    }

    /// FNV-1a over the profile's JSON with an empty fingerprint, in lowercase hex without leading
    /// zeros: the same content gives the same fingerprint.
    func contentHash() -> String {
        var writer = ProfileJSONWriter(into: ProfileJSONHash())
        writer.write(self, fingerprint: "")
        return String(writer.sink.hash.value, radix: 16)
    }
}
