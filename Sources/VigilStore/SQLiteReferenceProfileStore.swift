import FoundationEssentials

/// Reference profiles in SQLite, one row per distinct profile (keyed by fingerprint).
public struct SQLiteReferenceProfileStore: ReferenceProfileStore {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Stores `profile` unless the same content is already stored.
    public func save(_ profile: ReferenceProfile) throws(SQLiteError) {
        let body = profile.jsonBytes()
        try database.withConnection { connection throws(SQLiteError) in
            try connection.run(
                "INSERT OR IGNORE INTO reference_profiles (fingerprint, model, version, created_at, row_count, body) VALUES (?, ?, ?, ?, ?, ?)",
                .text(profile.fingerprint), .text(profile.model), .integer(Int64(profile.version)),
                .real(Date().timeIntervalSince1970), .integer(Int64(profile.rowCount)), .blob(body))
        }
    }

    /// The most recently stored profile of `model`.
    public func latest(model: String) throws(SQLiteError) -> ReferenceProfile? {
        let bodies = try database.withConnection { connection throws(SQLiteError) in
            try connection.prepare("SELECT body FROM reference_profiles WHERE model = ? ORDER BY created_at DESC, rowid DESC LIMIT 1")
                .rows([.text(model)]) { $0.blob(0) }
        }
        guard let body = bodies.first else { return nil }
        return try? JSONDecoder.profiles.decode(ReferenceProfile.self, from: Data(body))
    }
}

extension JSONDecoder {
    static var profiles: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
