/// A CSV file with a header row, parsed per RFC 4180 (quoted fields, doubled quotes, CRLF or LF).
public struct CSVTable: Sendable {
    public let header: [String]
    /// Every data row, each with `header.count` fields.
    public let rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Parses CSV text. Rows with a different field count than the header are an error naming the line.
    public init(parsing bytes: [UInt8]) throws(ModelError) {
        var records = Self.records(bytes)
        guard !records.isEmpty else { throw ModelError(.invalidModel, "the CSV file is empty; it needs a header row") }
        let header = records.removeFirst().fields
        for record in records where record.fields.count != header.count {
            throw ModelError(.invalidModel, "CSV line \(record.line) has \(record.fields.count) fields; the header has \(header.count)")
        }
        self.header = header.map { $0.trimmingSpaces() }
        self.rows = records.map(\.fields)
    }

    /// A cell as a number: empty, `NA`, `nan` and text are missing (NaN). The one reading of a
    /// numeric cell, for reference profiles, offline drift and batches built from cells.
    public static func number(_ cell: String) -> Double {
        DecimalText.double(cell.trimmingWhitespace()) ?? .nan
    }

    /// The values of column `index`, top to bottom.
    public func column(_ index: Int) -> [String] {
        rows.map { $0[index] }
    }

    private struct Record {
        var fields: [String]
        var line: Int
    }

    private static func records(_ bytes: [UInt8]) -> [Record] {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var index = bytes.startIndex
        // A UTF-8 byte order mark is not part of the first column's name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index += 3 }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            // Blank lines carry no row.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(fields: fields, line: recordLine)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.endIndex, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
            } else if byte == quote && field.isEmpty {
                inQuotes = true
            } else if byte == comma {
                endField()
            } else if byte == newline {
                endRecord()
                line += 1
                recordLine = line
            } else if byte != carriageReturn {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}

extension String {
    /// The text without leading and trailing spaces. Over the UTF-8 bytes: going by Characters (and
    /// reversing them) took half of the server's start-up time, on the reference files' cells.
    func trimmingSpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != UInt8(ascii: " ") }), let last = utf8.lastIndex(where: { $0 != UInt8(ascii: " ") })
        else {
            return ""
        }
        // Both ends sit next to a space or the text's own ends, so on character boundaries.
        return String(self[first..<utf8.index(after: last)])
    }
}

extension CSVTable {
    /// The same rows with only `columns`, in that order; names not in the header are skipped.
    public func selecting(columns: [String]) -> CSVTable {
        let indices = columns.compactMap { header.firstIndex(of: $0) }
        return CSVTable(header: indices.map { header[$0] }, rows: rows.map { row in indices.map { row[$0] } })
    }
}
