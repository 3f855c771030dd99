import FoundationEssentials
import NIOCore
import PostgresNIO

/// Reference profiles in PostgreSQL, one row per fingerprint: a model version loaded on several
/// replicas has one profile.
public struct PostgresReferenceProfileStore: ReferenceProfileStore {
    public let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    public func save(_ profile: ReferenceProfile) throws {
        let body = profile.jsonBytes()
        let binds = PostgresBindings(
            profile.fingerprint,
            profile.model,
            Int32(clamping: profile.version),
            Date().timeIntervalSince1970,
            Int64(profile.rowCount),
            ByteBuffer(bytes: body))
        try database.write { session throws(StoreError) in
            try session.run(
                """
                INSERT INTO reference_profiles (fingerprint, model, version, created_at, row_count, body) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (fingerprint) DO NOTHING
                """, binds)
        }
    }

    public func latest(model: String) throws -> ReferenceProfile? {
        let binds = PostgresBindings(model)
        let bodies = try database.read { session throws(StoreError) in
            try session.rows("SELECT body FROM reference_profiles WHERE model = $1 ORDER BY created_at DESC LIMIT 1", binds)
                .map { row throws(StoreError) in try row.value(ByteBuffer.self) }
        }
        guard let body = bodies.first else { return nil }
        return try? JSONDecoder.profiles.decode(ReferenceProfile.self, from: Data(body.readableBytesView))
    }
}
