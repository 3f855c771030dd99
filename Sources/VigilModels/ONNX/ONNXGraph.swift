internal import SwiftProtobuf

/// An ONNX graph compiled for execution: nodes in topological order, each reading and writing
/// numbered value slots, with the initializers preloaded.
struct ONNXGraph: Sendable {
    struct Step: Sendable {
        let label: String
        let operation: any ONNXOperator
        /// Slot per input; nil for an empty optional input.
        let inputs: [Int?]
        let outputs: [Int]
        /// Slots whose last reader is this step, freed after it runs.
        var releases: [Int]
    }

    let steps: [Step]
    let slotCount: Int
    let constants: [(slot: Int, tensor: ONNXTensor)]
    let inputSlots: [Int]
    let outputSlots: [Int]

    /// Compiles `graph`; `makeOperator` turns each node into its operation (and throws for unsupported ones).
    init(
        _ graph: Onnx_GraphProto, inputNames: [String],
        makeOperator: (Onnx_NodeProto) throws(ModelError) -> (label: String, operation: any ONNXOperator)
    ) throws(ModelError) {
        var slots: [String: Int] = [:]
        func slot(_ name: String) -> Int {
            if let existing = slots[name] { return existing }
            slots[name] = slots.count
            return slots.count - 1
        }
        var available = Set<String>()
        var constants: [(Int, ONNXTensor)] = []
        for initializer in graph.initializer {
            constants.append((slot(initializer.name), try ONNXTensor(proto: initializer, context: "initializer \"\(initializer.name)\"")))
            available.insert(initializer.name)
        }
        let inputSlots = inputNames.map { slot($0) }
        available.formUnion(inputNames)

        // Kahn's algorithm over the nodes; files are usually sorted already, so this is one pass.
        var pending = Array(graph.node.enumerated())
        var ordered: [Onnx_NodeProto] = []
        while !pending.isEmpty {
            var next: [(Int, Onnx_NodeProto)] = []
            for (index, node) in pending {
                if node.input.allSatisfy({ $0.isEmpty || available.contains($0) }) {
                    ordered.append(node)
                    for output in node.output where !output.isEmpty { available.insert(output) }
                } else {
                    next.append((index, node))
                }
            }
            if next.count == pending.count {
                let (_, stuck) = next[0]
                let missing = stuck.input.first { !$0.isEmpty && !available.contains($0) } ?? "?"
                throw ModelError(
                    .invalidModel,
                    "model.onnx: node \"\(stuck.name)\" (\(stuck.opType)) reads \"\(missing)\", which no initializer, input or earlier node provides (or the graph has a cycle)"
                )
            }
            pending = next
        }

        var steps: [Step] = []
        for node in ordered {
            let (label, operation) = try makeOperator(node)
            steps.append(
                Step(
                    label: label, operation: operation,
                    inputs: node.input.map { $0.isEmpty ? nil : slot($0) },
                    outputs: node.output.map { slot($0) },
                    releases: []))
        }
        var outputSlots: [Int] = []
        for output in graph.output {
            guard available.contains(output.name) else {
                throw ModelError(.invalidModel, "model.onnx: graph output \"\(output.name)\" is not produced by any node")
            }
            outputSlots.append(slot(output.name))
        }
        // Free intermediates after their last reader, so a batch does not keep every layer alive.
        let kept = Set(outputSlots).union(constants.map(\.0))
        var lastReader: [Int: Int] = [:]
        for (index, step) in steps.enumerated() {
            for case let input? in step.inputs { lastReader[input] = index }
        }
        for (slot, index) in lastReader where !kept.contains(slot) { steps[index].releases.append(slot) }

        self.steps = steps
        self.slotCount = slots.count
        self.constants = constants
        self.inputSlots = inputSlots
        self.outputSlots = outputSlots
    }

    /// Runs the graph on its inputs, in the order of `inputNames`, and returns the graph outputs in order.
    func run(_ graphInputs: [ONNXTensor]) throws(ModelError) -> [ONNXTensor] {
        // Appended into reserved room: `Array(repeating:count:)` allocates through an unspecialized
        // generic path (see `Array(directCapacity:)`).
        var values: [ONNXTensor?] = []
        values.reserveCapacity(slotCount)
        for _ in 0..<slotCount { values.append(nil) }
        for (slot, tensor) in constants { values[slot] = tensor }
        for (slot, tensor) in zip(inputSlots, graphInputs) { values[slot] = tensor }
        var inputs: [ONNXTensor?] = []
        inputs.reserveCapacity(8)
        // Steps are read in place (not copied out of the array), which saves a retain and release
        // of each of their fields per node: measurable on single-row requests.
        try steps.withUnsafeBufferPointer { (steps) throws(ModelError) in
            for index in 0..<steps.count {
                // Refilled in place: removeAll(keepingCapacity:) went through a slow generic path.
                let slots = steps[index].inputs
                while inputs.count > slots.count { inputs.removeLast() }
                for (position, slot) in slots.enumerated() {
                    let tensor = slot.flatMap { values[$0] }
                    if position < inputs.count { inputs[position] = tensor } else { inputs.append(tensor) }
                }
                let outputs: [ONNXTensor]
                do throws(ModelError) {
                    outputs = try steps[index].operation.run(inputs)
                } catch {
                    throw ModelError(error.kind, "\(steps[index].label): \(error.message)", unknownCategory: error.unknownCategory)
                }
                for (slot, tensor) in zip(steps[index].outputs, outputs) { values[slot] = tensor }
                for slot in steps[index].releases { values[slot] = nil }
            }
        }
        var results: [ONNXTensor] = []
        results.reserveCapacity(outputSlots.count)
        for slot in outputSlots {
            guard let tensor = values[slot] else { throw ModelError(.invalidInput, "model.onnx: an output was not computed") }
            results.append(tensor)
        }
        return results
    }
}
