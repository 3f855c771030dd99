extension FeatureBatch {
    /// A batch from text cells, as `reference.csv` holds them, one row of `features.count` cells each:
    /// numbers for numeric features (empty or unreadable cells are missing), category names for text
    /// features (an empty cell is a missing category).
    public init(cells rows: [[String]], features: [Feature]) {
        let width = features.count
        var values = [Double](repeating: .nan, count: rows.count * width)
        var texts: [Int: [String?]] = [:]
        for (index, feature) in features.enumerated() where feature.takesText {
            texts[index] = rows.map { row in
                guard index < row.count else { return nil }
                let name = row[index].trimmingWhitespace()
                return name.isEmpty ? nil : name
            }
        }
        for (rowIndex, row) in rows.enumerated() {
            for index in 0..<min(width, row.count) where !features[index].takesText {
                values[rowIndex * width + index] = CSVTable.number(row[index])
            }
        }
        self.init(rowCount: rows.count, featureCount: width, values: values, texts: texts)
    }
}
