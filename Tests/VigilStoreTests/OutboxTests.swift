import Foundation
import Testing
import VigilStore

struct OutboxTests {
    @Test func anItemWithASupersedesKeyReplacesTheUndeliveredOneOfTheSameReceiverAndKey() throws {
        let database = try TemporaryDatabase().open()
        let outbox = SQLiteOutboxStore(database: database)
        try outbox.enqueue(
            receiver: "http://am/api/v2/alerts", contentType: "application/json", payload: Array("first".utf8), at: 1, supersedes: "state:m"
        )
        try outbox.enqueue(receiver: "http://webhook", contentType: "application/json", payload: Array("transition".utf8), at: 1)
        try outbox.enqueue(
            receiver: "http://am/api/v2/alerts", contentType: "application/json", payload: Array("other model".utf8), at: 1,
            supersedes: "state:n")
        try outbox.enqueue(
            receiver: "http://am/api/v2/alerts", contentType: "application/json", payload: Array("second".utf8), at: 2,
            supersedes: "state:m")
        let due = try outbox.due(at: 10)
        #expect(due.map { String(decoding: $0.payload, as: UTF8.self) } == ["transition", "other model", "second"])
        // A delivered item is history, never replaced.
        let second = try #require(due.last)
        try outbox.markDelivered(id: second.id, at: 3)
        try outbox.enqueue(
            receiver: "http://am/api/v2/alerts", contentType: "application/json", payload: Array("third".utf8), at: 4, supersedes: "state:m"
        )
        #expect(try outbox.due(at: 10).map { String(decoding: $0.payload, as: UTF8.self) } == ["transition", "other model", "third"])
        #expect(try outbox.pendingCount() == 3)
    }
}
