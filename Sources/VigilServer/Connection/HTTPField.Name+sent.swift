import HTTPTypes

extension HTTPField.Name {
    /// The name for a header spelled as clients commonly send it (`curl`, Python's `requests`,
    /// `tritonclient`, `wrk`, nginx), or nil for any other spelling. The raw name is the one sent, so the
    /// result equals `HTTPField.Name(name)`.
    init?(sent name: String) {
        var name = name
        guard let known = name.withUTF8({ Self.sent(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = known
    }

    /// The table of sent names (`init(sent:)`) over a name's bytes, without making a string of them.
    static func sent(_ name: UnsafeRawBufferPointer) -> HTTPField.Name? {
        // By length first: a name of 16 bytes or more is not a small string, and comparing it with
        // every case in turn costs about 1,000 instructions for `Inference-Header-Content-Length`.
        switch name.count {
        case 6: name.isBytewise("Accept") ? .accept : nil
        case 10: name.isBytewise("User-Agent") ? .userAgent : name.isBytewise("Connection") ? .connection : nil
        case 12: name.isBytewise("Content-Type") ? .contentType : name.isBytewise("content-type") ? .contentTypeLowercase : nil
        case 14: name.isBytewise("Content-Length") ? .contentLength : name.isBytewise("content-length") ? .contentLengthLowercase : nil
        case 15: name.isBytewise("Accept-Encoding") ? .acceptEncoding : name.isBytewise("X-Forwarded-For") ? .xForwardedFor : nil
        case 16: name.isBytewise("Content-Encoding") ? .contentEncoding : nil
        case 17: name.isBytewise("X-Forwarded-Proto") ? .xForwardedProto : nil
        case 31: name.isBytewise("Inference-Header-Content-Length") ? .inferenceHeaderContentLength : nil
        default: nil
        }
    }
}
