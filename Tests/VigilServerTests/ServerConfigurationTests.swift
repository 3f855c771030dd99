import Foundation
import Logging
import NIOCore
import Testing
import VigilServer

struct ServerConfigurationTests {
    @Test func defaultsMatchTheSpec() {
        let configuration = ServerConfiguration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.modelsDirectory.lastPathComponent == "models")
        #expect(configuration.bodyLimit == 16 << 20)
        #expect(configuration.adminToken == nil)
    }

    @Test func environmentVariablesOverrideDefaults() throws {
        let configuration = try ServerConfiguration(environment: [
            "VIGIL_HOST": "0.0.0.0", "VIGIL_PORT": "9000", "VIGIL_MODELS": "/srv/models", "VIGIL_BASE_PATH": "vigil/",
            "VIGIL_ADMIN_TOKEN": "t", "VIGIL_BODY_LIMIT": "512K", "VIGIL_STRICT_READINESS": "false",
        ])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.modelsDirectory.path == "/srv/models")
        #expect(configuration.basePath == "/vigil")
        #expect(configuration.adminToken == "t")
        #expect(configuration.bodyLimit == 512 * 1024)
        #expect(configuration.strictReadiness == false)
    }

    @Test func badValuesAreErrorsNamingTheVariable() {
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["VIGIL_PORT": "eighty"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["VIGIL_BODY_LIMIT": "-1"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["VIGIL_BASE_PATH": "/a/../b"]) }
        do {
            _ = try ServerConfiguration(environment: ["VIGIL_STRICT_READINESS": "maybe"])
        } catch {
            #expect(error.description.contains("VIGIL_STRICT_READINESS"))
        }
    }

    @Test func sizesTakeBinarySuffixes() throws {
        #expect(try ServerConfiguration.parseSize("16M", source: "x") == 16 << 20)
        #expect(try ServerConfiguration.parseSize("2GiB", source: "x") == 2 << 30)
        #expect(try ServerConfiguration.parseSize("1024", source: "x") == 1024)
    }
}

/// Flags and `VIGIL_*` variables go through one table of settings.
struct ServerSettingTableTests {
    @Test func aFlagWinsOverItsVariableAndBothParseTheSameWay() throws {
        let configuration = try ServerConfiguration(
            environment: ["VIGIL_IDLE_TIMEOUT": "90s", "VIGIL_SHUTDOWN_TIMEOUT": "10s", "VIGIL_ALERTMANAGER_URL": "http://am:9093"],
            flags: ["idle-timeout": "2m", "access-log": "true", "log-level": "warning"])
        #expect(configuration.idleTimeout == .seconds(120))
        #expect(configuration.shutdownTimeout == .seconds(10))
        #expect(configuration.alertmanagerURLs == ["http://am:9093"])
        #expect(configuration.accessLog)
        #expect(configuration.logLevel == .warning)
    }

    @Test func everySettingHasTheVariableNamedAfterItsFlag() {
        let variables = ServerConfiguration.settings.map(\.environment)
        #expect(variables.contains("VIGIL_BODY_LIMIT"))
        #expect(variables.contains("VIGIL_ALERTMANAGER_URL"))
        #expect(variables.contains("VIGIL_TRUSTED_PROXY"))
        #expect(Set(variables).count == variables.count)
    }

    @Test func errorsNameTheFlagOrTheVariableTheValueCameFrom() {
        do {
            _ = try ServerConfiguration(environment: [:], flags: ["shutdown-timeout": "soon"])
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("--shutdown-timeout"))
        }
        do {
            _ = try ServerConfiguration(environment: ["VIGIL_ALERTMANAGER_URL": "am:9093"])
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("VIGIL_ALERTMANAGER_URL"))
        }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration(environment: [:], flags: ["no-such-flag": "1"]) }
    }
}

/// Each setting is declared once: the README, `--help` and the defaults follow from the table.
struct ServerSettingDeclarationTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    @Test func theReadmesSettingsTableIsWrittenFromTheDeclarations() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- settings:begin"))
        let end = try #require(text.range(of: "<!-- settings:end -->"))
        let afterMarker = try #require(text[begin.upperBound...].firstIndex(of: "\n"))
        let table = text[text.index(after: afterMarker)..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            table == ServerConfiguration.settingsTable,
            "paste this between the README's settings markers:\n\(ServerConfiguration.settingsTable)")
    }

    @Test(arguments: ServerConfiguration.settings.filter(\.hasValueDefault).map(\.flag))
    func theDefaultShownIsTheConfigurationsOwn(_ flag: String) throws {
        let setting = try #require(ServerConfiguration.settings.first { $0.flag == flag })
        var configuration = ServerConfiguration()
        try setting.apply(setting.defaultValue, to: &configuration, source: "--\(flag)")
        #expect(
            configuration == ServerConfiguration(), "--\(flag)'s default '\(setting.defaultValue)' is not what ServerConfiguration() holds")
    }

    @Test func aSettingWhoseDefaultIsAPhraseLeavesItUnset() {
        let phrases = ServerConfiguration.settings.filter { !$0.hasValueDefault }.map(\.flag)
        #expect(phrases.contains("admin-token"))
        #expect(ServerConfiguration().adminToken == nil && ServerConfiguration().store == nil && ServerConfiguration().externalURL == nil)
    }

    @Test func theHelpListsEveryFlagWithItsVariableAndDefault() {
        let help = ServerConfiguration.settingsHelp
        for setting in ServerConfiguration.settings {
            #expect(
                help.contains(
                    "--\(setting.flag) <value>\n      \(setting.help)\n      \(setting.environment); default \(setting.defaultValue)"))
        }
    }

    @Test func argumentsAreFlagsWithSpacedOrJoinedValuesAndRepeatsJoin() throws {
        let flags = try ServerConfiguration.flags(fromArguments: [
            "--port", "9000", "--base-path=/vigil", "--trusted-proxy", "127.0.0.1", "--trusted-proxy=10.0.0.0/8", "--port", "9001",
            "--admin-token=a=b",
        ])
        #expect(flags == ["port": "9001", "base-path": "/vigil", "trusted-proxy": "127.0.0.1,10.0.0.0/8", "admin-token": "a=b"])
        let configuration = try ServerConfiguration(environment: ["VIGIL_PORT": "1"], flags: flags)
        #expect(configuration.port == 9001)
        #expect(configuration.basePath == "/vigil")
    }

    @Test func anUnknownFlagAMissingValueOrAStrayWordIsAnErrorThatSaysSo() {
        for (arguments, phrase) in [
            (["--prot", "1"], "--prot is not a setting"), (["--port"], "--port needs a value"), (["8080"], "'8080' is not a flag"),
        ] {
            do {
                _ = try ServerConfiguration.flags(fromArguments: arguments)
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(error.description.contains(phrase), "\(error.description)")
            }
        }
    }
}

/// `X-Forwarded-For` gives the client's address only from a trusted proxy.
struct ClientAddressTests {
    static func peer(_ address: String) throws -> SocketAddress { try SocketAddress(ipAddress: address, port: 40000) }

    @Test func theNearestUntrustedHopIsTheClient() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1,10.0.0.0/8", source: "test")
        #expect(proxies.clientAddress(peer: try Self.peer("127.0.0.1"), forwardedFor: "203.0.113.7") == "203.0.113.7")
        // A client that sends its own header cannot hide behind it: the proxy appended the real address.
        #expect(proxies.clientAddress(peer: try Self.peer("127.0.0.1"), forwardedFor: "1.2.3.4, 203.0.113.7, 10.1.2.3") == "203.0.113.7")
        #expect(proxies.clientAddress(peer: try Self.peer("127.0.0.1"), forwardedFor: "10.9.9.9, 10.1.2.3") == "10.9.9.9")
        #expect(proxies.clientAddress(peer: try Self.peer("127.0.0.1"), forwardedFor: nil) == "127.0.0.1")
    }

    @Test func fromAnUntrustedPeerTheHeaderIsIgnored() throws {
        let proxies = try TrustedProxies(parsing: "127.0.0.1", source: "test")
        #expect(proxies.clientAddress(peer: try Self.peer("127.0.0.2"), forwardedFor: "198.51.100.9") == "127.0.0.2")
        #expect(TrustedProxies().clientAddress(peer: try Self.peer("127.0.0.1"), forwardedFor: "198.51.100.9") == "127.0.0.1")
    }
}
