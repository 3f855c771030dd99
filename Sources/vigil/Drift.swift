import ArgumentParser
import FoundationEssentials
import VigilModels
import VigilMonitor
import VigilServer
import VigilStore

struct Drift: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two CSV files for drift with the server's engine.",
        discussion:
            "Exits 0 when there is no dataset drift, 1 when there is, and 2 when the files cannot be compared, so it can gate a pipeline."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @Option(help: "The reference (training) CSV, with a header row; .gz is fine.")
    var reference: String

    @Option(help: "The current CSV, with the same columns.")
    var current: String

    @Option(help: "Output format: text, json or html.")
    var format: Format = .text

    @Option(
        name: .customLong("model-config"), help: "A vigil.json with feature kinds, critical features, ignored columns and drift thresholds."
    )
    var modelConfig: String?

    func run() throws {
        do {
            let configuration = try modelConfig.map { try ModelConfiguration.parse(try Self.read($0)) } ?? ModelConfiguration()
            let (report, profile, windows) = try OfflineDrift.compare(
                reference: try CSVTable(parsing: try Self.read(reference)), current: try CSVTable(parsing: try Self.read(current)),
                configuration: configuration, settings: DriftSettings().applying(configuration.drift), now: Date().timeIntervalSince1970)
            switch format {
            case .text: print(DriftReportText.render(report), terminator: "")
            case .json: print(String(decoding: try JSONEncoder.reports.encode(report), as: UTF8.self))
            case .html:
                let status: DashboardStatus = report.status == .drift ? .drift : report.status == .ok ? .ok : .insufficientData
                let content = ModelPageContent(
                    name: "\(current) against \(reference)", status: status, report: report, profile: profile, windows: windows)
                print(ModelPage.standalone(content), terminator: "")
            }
            if report.datasetDrift { throw ExitCode(1) }
        } catch let error as ModelError {
            StandardError.write("vigil drift: \(error.message)\n")
            throw ExitCode(2)
        }
    }

    static func read(_ path: String) throws(ModelError) -> [UInt8] {
        try CompressedFile.read(URL(fileURLWithPath: path))
    }
}
