import Testing

@testable import VigilModels

struct DecimalTextTests {
    /// Texts built from the characters numbers are written with, and numbers written as scikit-learn,
    /// pandas and hand-made CSV files write them, are each read to the same bits as `Double(_:)`
    /// reads them, or refused as it refuses them.
    @Test func readsEveryTextToTheSameBitsAsDoubleInit() {
        var generator = SystemRandomNumberGenerator()
        var texts = [
            "0", "-0", "+0", "0.0", "-0.0", ".5", "5.", "-.5", "+.5", ".", "-", "+", "", "e5", "1e", "1e+", "1e-", "1.2.3", "--1",
            "1e22", "1e23", "1e-22", "1e-23", "123456789012345", "1234567890123456", "0.000000000000000000001", "9007199254740993",
            "4.35", "0.1", "0.30000000000000004", "5.1", "3.5", "1.4", "0.2", "2.2250738585072014e-308", "1.7976931348623157e308",
            "nan", "NaN", "inf", "-Infinity", "0x1p3", " 1", "1 ", "1_000", "１", "1e0010", "00012.5000", "1E5", "1e+05", "7e-3",
        ]
        let alphabet = Array("0123456789.-+eE")
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...12, using: &generator)
            texts.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for _ in 0..<20_000 {
            let digits = String((0..<Int.random(in: 1...18, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text = String(digits.prefix(point)) + (Bool.random(using: &generator) ? "." : "") + String(digits.dropFirst(point))
            if Bool.random(using: &generator) { text = "-" + text }
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            texts.append(text)
        }
        let differing = texts.filter { DecimalText.double($0)?.bitPattern != Double($0)?.bitPattern }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
    }

    /// The direct reading takes the cells reference files hold (else it would save nothing), and
    /// leaves to `Double(_:)` what needs more than one rounding.
    @Test func plainDecimalsAreReadDirectlyAndTheRestLeftToDoubleInit() {
        func plain(_ text: String) -> Double? { Array(text.utf8).withUnsafeBytes { DecimalText.plain($0) } }
        #expect(plain("5.1") == 5.1)
        #expect(plain("-0.000123") == -0.000123)
        #expect(plain("6.203781e-08") == 6.203781e-08)
        #expect(plain("-0")?.sign == .minus)
        #expect(plain("1234567890123456") == 1_234_567_890_123_456)
        #expect(plain("9007199254740993") == nil)
        #expect(plain("0.12345678901234567890") == nil)
        #expect(plain("1e23") == nil)
        #expect(plain("nan") == nil)
        #expect(plain("1 ") == nil)
    }
}
