import FoundationEssentials
import NIOCore
import PostgresNIO

/// Reference profiles in PostgreSQL, one row per fingerprint: a model version loaded on several
/// replicas has one profile.
public struct PostgresReferenceProfileStore: ReferenceProfileStore {
    public let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    public func save(_ profile: ReferenceProfile) throws {
        let body = try JSONEncoder.profiles.encode(profile)
        var binds = PostgresBindings()
        binds.append(profile.fingerprint)
        binds.append(profile.model)
        binds.append(Int32(clamping: profile.version))
        binds.append(Date().timeIntervalSince1970)
        binds.append(Int64(profile.rowCount))
        binds.append(ByteBuffer(bytes: body))
        try database.write { session throws(StoreError) in
            try session.run("""
                INSERT INTO reference_profiles (fingerprint, model, version, created_at, row_count, body) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (fingerprint) DO NOTHING
                """, binds)
        }
    }

    public func latest(model: String) throws -> ReferenceProfile? {
        var binds = PostgresBindings()
        binds.append(model)
        let bodies = try database.read { session throws(StoreError) in
            try session.rows("SELECT body FROM reference_profiles WHERE model = $1 ORDER BY created_at DESC LIMIT 1", binds)
                .map { row throws(StoreError) in try row.value(ByteBuffer.self) }
        }
        guard let body = bodies.first else { return nil }
        return try? JSONDecoder.profiles.decode(ReferenceProfile.self, from: Data(body.readableBytesView))
    }
}
