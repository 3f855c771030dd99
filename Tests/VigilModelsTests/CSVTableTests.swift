import Testing
import VigilModels

struct CSVTableTests {
    @Test func quotedFieldsKeepCommasQuotesAndNewlines() throws {
        let table = try CSVTable(parsing: Array("name,note\r\n\"a,b\",\"say \"\"hi\"\"\"\nc,\"two\nlines\"\n".utf8))
        #expect(table.header == ["name", "note"])
        #expect(table.rows == [["a,b", "say \"hi\""], ["c", "two\nlines"]])
    }

    @Test func byteOrderMarkAndBlankLinesAreSkipped() throws {
        let table = try CSVTable(parsing: [0xEF, 0xBB, 0xBF] + Array("x,y\n1,2\n\n3,4".utf8))
        #expect(table.header == ["x", "y"])
        #expect(table.rows == [["1", "2"], ["3", "4"]])
    }

    @Test func aShortRowIsAnErrorNamingItsLine() {
        #expect(throws: ModelError(.invalidModel, "CSV line 3 has 1 fields; the header has 2")) {
            try CSVTable(parsing: Array("x,y\n1,2\n3\n".utf8))
        }
    }

    @Test func selectingReordersAndDropsColumns() throws {
        let table = try CSVTable(parsing: Array("a,b,c\n1,2,3\n".utf8)).selecting(columns: ["c", "a"])
        #expect(table.header == ["c", "a"])
        #expect(table.rows == [["3", "1"]])
    }
}
