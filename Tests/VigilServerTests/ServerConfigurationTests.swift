import Foundation
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
