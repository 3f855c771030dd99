import Foundation
import Testing

@testable import VigilServer

struct PercentEncodingTests {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    @Test(arguments: ["plain", "a b&c=d/e?f#g", "<script>alert(1)</script>", "ünï ☃ 🚀", "100%", ""])
    func encodingMatchesFoundationAndDecodesBack(_ text: String) {
        let encoded = PercentEncoding.encode(text)
        #expect(encoded == text.addingPercentEncoding(withAllowedCharacters: Self.unreserved))
        #expect(PercentEncoding.decode(encoded) == text)
    }

    @Test func malformedEscapesDecodeToNil() {
        #expect(PercentEncoding.decode("%") == nil)
        #expect(PercentEncoding.decode("%4") == nil)
        #expect(PercentEncoding.decode("%zz") == nil)
        #expect(PercentEncoding.decode("%FF") == nil)  // not UTF-8
        #expect(PercentEncoding.decode("a%20b") == "a b")
    }
}
