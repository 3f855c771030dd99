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
