/// The settings table read from command-line arguments, and written as `--help` and as the README's table.
extension ServerConfiguration {
    /// The flags among `arguments`, each `--flag value` or `--flag=value`, by flag name without
    /// dashes. A repeatable flag's values are joined with commas, as its variable takes them; any
    /// other flag given twice keeps its last value.
    public static func flags(fromArguments arguments: [String]) throws(ConfigurationError) -> [String: String] {
        let table = Dictionary(settings.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
        var flags: [String: String] = [:]
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ConfigurationError("'\(argument)' is not a flag; vigil serve takes only --flag value (vigil serve --help lists them)")
            }
            let spelled = argument.dropFirst(2)
            let name = String(spelled.prefix { $0 != "=" })
            guard let setting = table[name] else {
                throw ConfigurationError("--\(name) is not a setting of vigil serve; vigil serve --help lists them")
            }
            let value: String
            if let equals = spelled.firstIndex(of: "=") {
                value = String(spelled[spelled.index(after: equals)...])
            } else if let next = remaining.popFirst() {
                value = next
            } else {
                throw ConfigurationError("--\(name) needs a value")
            }
            if setting.isRepeatable, let earlier = flags[name] { flags[name] = earlier + "," + value } else { flags[name] = value }
        }
        return flags
    }

    /// `vigil serve --help`'s list of settings: each flag with its variable, its default and its help.
    public static var settingsHelp: String {
        settings.map { setting in
            let repeatable = setting.isRepeatable ? "; repeatable" : ""
            return
                "  --\(setting.flag) <value>\n      \(setting.help)\n      \(setting.environment); default \(setting.defaultValue)\(repeatable)"
        }.joined(separator: "\n")
    }

    /// The README's settings table, in Markdown.
    public static var settingsTable: String {
        let rows = settings.map { setting in
            let shown = setting.hasValueDefault ? "`\(setting.defaultValue)`" : setting.defaultValue.dropFirst().dropLast().description
            let repeatable = setting.isRepeatable ? " Repeatable; comma-separated in the variable." : ""
            return
                "| `--\(setting.flag)` | `\(setting.environment)` | \(shown) | \(setting.help.replacing("|", with: "\\|"))\(repeatable) |"
        }
        return (["| flag | variable | default | meaning |", "|---|---|---|---|"] + rows).joined(separator: "\n")
    }
}
