import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import VigilServer

/// A model repository for dashboard tests: `steady` and `shifty` (DriftModels), a model that does
/// not load, one whose reference does not match its inputs, and one whose reference carries
/// script in a column name and in category values.
enum DashboardFixture {
    static let scriptHeader = "<script>alert(1)</script>"
    static let scriptCategory = "<img src=x onerror=alert(2)>"

    static func repository(extraFeatures: Int = 0) throws -> TestRepository {
        let repository = try TestRepository()
        try DriftModels.write(into: repository)
        try repository.write(
            "unmonitored/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["x","y"],"coefficients":[[1,1]],"intercepts":[0]}"#)
        try repository.write("unmonitored/reference.csv", "a,b,c\n1,2,3\n")
        try repository.write(
            "hostile/model.json",
            #"{"format":"vigil-linear","kind":"regression","features":["p","q"],"coefficients":[[1,1]],"intercepts":[0]}"#)
        var hostile = "\"\(scriptHeader)\",colour\n"
        for index in 0..<200 { hostile += "\(index % 7),\"\(index % 2 == 0 ? scriptCategory : "blue")\"\n" }
        try repository.write("hostile/reference.csv", hostile)
        if extraFeatures > 0 {
            let names = (0..<extraFeatures).map { "feature_\($0)" }
            let coefficients = names.map { _ in "1" }.joined(separator: ",")
            try repository.write(
                "wide/model.json",
                #"{"format":"vigil-linear","kind":"regression","features":[\#(names.map { "\"\($0)\"" }.joined(separator: ",")),],"coefficients":[[\#(coefficients)]],"intercepts":[0]}"#
                    .replacingOccurrences(of: ",]", with: "]"))
            var gaussian = Gaussian(seed: 5)
            var csv = names.joined(separator: ",") + "\n"
            for _ in 0..<1000 { csv += names.map { _ in String(format: "%.4f", gaussian.next()) }.joined(separator: ",") + "\n" }
            try repository.write("wide/reference.csv", csv)
        }
        return repository
    }

    /// A V2 body for `wide` with `rows` rows, the first `shifted` features moved by one sd.
    static func wideBatch(features: Int, rows: Int, shifted: Int, gaussian: inout Gaussian) -> String {
        var values: [String] = []
        for _ in 0..<rows {
            values.append(
                "[" + (0..<features).map { String(format: "%.4f", gaussian.next(mean: $0 < shifted ? 1 : 0)) }.joined(separator: ",") + "]")
        }
        return
            #"{"inputs":[{"name":"input","shape":[\#(rows),\#(features)],"datatype":"FP64","data":[\#(values.joined(separator: ","))]}]}"#
    }

    /// Every `href` and `action` in a page, entities decoded.
    static func links(in html: String) -> [String] {
        var links: [String] = []
        for attribute in ["href=\"", "action=\""] {
            var rest = html[...]
            while let start = rest.range(of: attribute) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                links.append(String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
                rest = rest[end...]
            }
        }
        return links
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
