import PostgresNIO

extension PostgresBindings {
    /// Bindings for `$1`, `$2`, … in order; nil binds SQL NULL.
    init(_ values: (any PostgresDynamicTypeEncodable)?...) {
        self.init(values: values)
    }

    /// Bindings for `$1`, `$2`, … from an array of values; nil binds SQL NULL.
    init(values: [(any PostgresDynamicTypeEncodable)?]) {
        self.init(capacity: values.count)
        for value in values {
            if let value { append(value) } else { appendNull() }
        }
    }
}
