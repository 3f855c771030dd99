import ArgumentParser
import VigilServer

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print Vigil's version.")

    func run() {
        print("vigil \(VigilVersion.current)")
    }
}
