import Testing
import VigilStore

struct FleetAddressTests {
    @Test func aPostgresURLGivesItsPartsDecodedAndPrintsWithoutThePassword() throws {
        let address = try FleetAddress(url: "postgresql://fleet%40ops:p%3Ass%2Fword@db.internal:6543/vigil%20prod?sslmode=disable")
        #expect(
            address == FleetAddress(host: "db.internal", port: 6543, username: "fleet@ops", password: "p:ss/word", database: "vigil prod"))
        #expect(address.description == "postgres://fleet@ops@db.internal:6543/vigil prod")
        let plain = try FleetAddress(url: "postgres://vigil@127.0.0.1/vigil")
        #expect(plain.port == 5432 && plain.password == nil)
    }

    @Test(arguments: [
        ("mysql://u@h/db", "is not a postgres:// URL"),
        ("postgres://u:secret@/db", "has no host"),
        ("postgres://h:5432/db", "names no user"),
        ("postgres://u:secret@h:5432", "names no database"),
        ("postgres://u:secret@h:5432/", "names no database"),
        ("postgres://u:secret@h/db?sslmode=require", "without TLS"),
    ])
    func aURLItCannotUseIsRefusedWithWhatIsWrong(url: String, reason: String) {
        #expect {
            try FleetAddress(url: url)
        } throws: { error in
            let message = (error as? StoreError)?.message ?? ""
            return message.contains(reason) && !message.contains("secret")
        }
    }
}
