/// The name, element type and shape of one model input or output; `-1` marks the batch dimension.
public struct TensorSpec: Sendable, Equatable {
    public var name: String
    public var datatype: TensorDatatype
    public var shape: [Int]

    public init(name: String, datatype: TensorDatatype, shape: [Int]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }
}
