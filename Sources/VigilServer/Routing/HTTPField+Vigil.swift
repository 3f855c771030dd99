import HTTPTypes

extension HTTPField.Name {
    /// A header name written in this file, so known to be valid.
    private static func known(_ name: String) -> HTTPField.Name {
        guard let parsed = HTTPField.Name(name) else { preconditionFailure("'\(name)' is not a valid header name") }
        return parsed
    }

    static let xForwardedFor = known("X-Forwarded-For")
    static let xForwardedPrefix = known("X-Forwarded-Prefix")
    static let xForwardedProto = known("X-Forwarded-Proto")
    static let xContentTypeOptions = known("X-Content-Type-Options")
    static let referrerPolicy = known("Referrer-Policy")
    static let xFrameOptions = known("X-Frame-Options")
    /// Triton's binary tensor extension: the length of the JSON header before the binary tensors.
    static let inferenceHeaderContentLength = known("Inference-Header-Content-Length")

    /// Whether this is the field named `canonical` (lowercase, as `canonicalName` is), compared by
    /// length first: the length is stored, and comparing a long name (such as
    /// `inference-header-content-length`) with another costs a call into the string comparison.
    func hasCanonicalName(_ canonical: String) -> Bool {
        canonicalName.utf8.count == canonical.utf8.count && canonicalName == canonical
    }
}

extension HTTPFields {
    /// The first value of `name`, without joining repeated fields as the subscript does: for the
    /// headers the request path reads, where one value is all that counts.
    func first(_ name: HTTPField.Name) -> String? {
        let canonical = name.canonicalName
        for field in self where field.name.hasCanonicalName(canonical) { return field.value }
        return nil
    }
}
