import HTTPTypes
import Hummingbird

/// `X-Content-Type-Options: nosniff` on every response, so a browser never reads a JSON error or
/// a metrics page as something it is not.
enum NoSniff {
    /// The field, made (and its value checked) once.
    static let field = HTTPField(name: .xContentTypeOptions, value: "nosniff")

    static func mark(_ response: inout Response) {
        // Appended unless a page set it: the subscript's replace is a search and a rebuild.
        if response.headers.first(.xContentTypeOptions) == nil {
            response.headers.append(field)
        }
    }
}
