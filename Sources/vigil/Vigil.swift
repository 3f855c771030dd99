import ArgumentParser

@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Serve tabular ML models over KServe V2 / V1 and watch their input data for drift.",
        subcommands: [Serve.self, Check.self, Drift.self, Probe.self, Version.self],
        defaultSubcommand: nil
    )
}
