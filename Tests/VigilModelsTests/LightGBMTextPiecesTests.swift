import Foundation
import Testing

@testable import VigilModels

/// The LightGBM reader splits its text into tree blocks over bytes; it must cut where Foundation's
/// `components(separatedBy:)` cut before it.
struct LightGBMTextPiecesTests {
    @Test func piecesMatchFoundationsComponents() {
        let separator = "\nTree="
        let texts = [
            "", "tree", "\nTree=", "\nTree=\nTree=", "tree\nversion=v4\n\nTree=0\nleaf=1\n\nTree=1\nleaf=2\nend of trees\n",
            "tree\nTree", "\nTree\nTree=x", "ab\nTree=é\nTree=", "tree\n\nTree=0", "\n\nTree==\nTree==",
        ]
        for text in texts {
            let pieces = LightGBMModel.pieces(of: Array(text.utf8), separatedBy: Array(separator.utf8))
            #expect(pieces == text.components(separatedBy: separator), "\(text.debugDescription)")
        }
    }

    @Test func theBundledLightGBMModelSplitsAsFoundationSplitsIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("models/diabetes-lightgbm/model.lgb.txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        let pieces = LightGBMModel.pieces(of: Array(text.utf8), separatedBy: Array("\nTree=".utf8))
        #expect(pieces.count > 10)
        #expect(pieces == text.components(separatedBy: "\nTree="))
    }
}
