import Hummingbird

/// Admin routes of the V2 model repository extension: index, load and unload.
struct RepositoryController<Context: RequestContext> {
    let repository: ModelRepository

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("index") { _, _ in
            let entries = repository.snapshot.values.sorted { $0.name < $1.name }
            var index: [IndexEntry] = []
            for entry in entries {
                for (version, state) in entry.versions.sorted(by: { $0.key < $1.key }) {
                    index.append(
                        IndexEntry(name: entry.name, version: String(version), state: state, reloadError: entry.reloadErrors[version]))
                }
            }
            return try JSONResponse.make(index)
        }
        group.post("models/{name}/load") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard let entry = repository.load(name: name) else {
                throw VigilError.notFound("no model folder '\(name.prefix(128))' in the model repository")
            }
            if case .failed(let message)? = entry.state(version: nil) {
                throw VigilError.badRequest("model '\(name)' failed to load: \(message)")
            }
            if let version = entry.defaultVersion, let message = entry.reloadErrors[version] {
                throw VigilError.badRequest("model '\(name)' failed to reload, and its previous load goes on serving: \(message)")
            }
            return JSONResponse.empty()
        }
        group.post("models/{name}/unload") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard repository.unload(name: name) else { throw VigilError.notFound("model '\(name.prefix(128))' not found") }
            return JSONResponse.empty()
        }
    }

    struct IndexEntry: Encodable {
        var name: String
        var version: String
        var state: String
        var reason: String

        init(name: String, version: String, state: ModelState, reloadError: String? = nil) {
            self.name = name
            self.version = version
            switch state {
            case .ready: (self.state, self.reason) = ("READY", reloadError.map { "reload failed, serving the previous load: \($0)" } ?? "")
            case .failed(let message): (self.state, self.reason) = ("UNAVAILABLE", message)
            case .unavailable: (self.state, self.reason) = ("UNAVAILABLE", "unloaded")
            }
        }
    }
}
