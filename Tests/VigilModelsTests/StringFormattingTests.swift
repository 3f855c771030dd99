import Foundation
import Testing
import VigilModels

/// The FoundationEssentials stand-ins agree with full Foundation, which the tests may import.
struct StringFormattingTests {
    @Test(arguments: [0.0, 1, -1, 0.000123456, 123456789.0, 3.14159, 1e-300, 2.5e17, .nan, .infinity])
    func printfMatchesFoundationsStringFormat(_ value: Double) {
        for format in ["%.3g", "%.2e", "%.4f", "%.6g", "%.0f%%"] {
            #expect(String(printf: format, value) == String(format: format, value), "\(format) of \(value)")
        }
    }

    @Test func printfTakesIntegersAndLongResults() {
        #expect(String(printf: "%04d-%02d-%02d %02d:%02d", 2026, 12, 2, 7, 5) == "2026-12-02 07:05")
        let long = String(printf: "%0300d", 7)
        #expect(long.count == 300 && long.hasSuffix("07"))
    }

    @Test func trimmingMatchesFoundationOnSpacesAndTabs() {
        for text in ["  a b  ", "\tx\t", "", "   ", "plain", " ünï code "] {
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "'\(text)'")
        }
        #expect("[1, 2]".trimming { "[] ".contains($0) } == "1, 2")
    }

    /// The fast path reads the end bytes; the Character-wise slow path decides everything else
    /// (a space with a combining mark is one whitespace Character, so it goes whole).
    @Test func trimmingTakesTheFastPathOnlyWhenNothingCanBeTrimmed() {
        let cases: [(String, String)] = [
            ("1.5", "1.5"), (" 1.5", "1.5"), ("1.5\n", "1.5"), ("1.5\r\n", "1.5"), ("\u{00A0}x\u{2003}", "x"),
            ("e\u{301}", "e\u{301}"), ("e\u{301} ", "e\u{301}"), (" \u{301}a", "a"), ("\u{0600}1", "\u{0600}1"), ("~!", "~!"),
        ]
        for (text, trimmed) in cases {
            #expect(text.trimmingWhitespace() == trimmed, "'\(text.unicodeScalars.map { String($0.value, radix: 16) })'")
            #expect(("<" + text + ">").dropFirst().dropLast().trimmingWhitespace() == trimmed, "substring of '\(text)'")
        }
    }
}
