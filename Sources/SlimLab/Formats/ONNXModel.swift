/// An ONNX model as SlimLab writes it: the subset of `onnx.proto`'s `ModelProto` an exported
/// feed-forward network needs (a graph of nodes over named values, initializers holding the
/// parameters as little-endian `raw_data`, typed graph inputs and outputs).
///
/// `serialized()` writes the protobuf bytes an ONNX runtime loads; `init(serialized:)` reads
/// them back (SlimLab's own files and any file keeping to this subset).
public struct ONNXModel: Sendable, Equatable {
    /// The IR version: 7 is the one that goes with opset 13.
    public var irVersion: Int
    /// The default-domain operator set version (13: per-axis QuantizeLinear/DequantizeLinear).
    public var opsetVersion: Int
    public var producerName: String
    public var producerVersion: String
    public var documentation: String
    public var graph: ONNXGraph

    public init(irVersion: Int = 7, opsetVersion: Int = 13, producerName: String = "SlimLab",
                producerVersion: String = "", documentation: String = "", graph: ONNXGraph) {
        self.irVersion = irVersion
        self.opsetVersion = opsetVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.documentation = documentation
        self.graph = graph
    }
}

/// `GraphProto`: nodes in topological order, their constant inputs, and the graph's interface.
public struct ONNXGraph: Sendable, Equatable {
    public var name: String
    public var nodes: [ONNXNode]
    public var initializers: [ONNXTensor]
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]

    public init(name: String, nodes: [ONNXNode] = [], initializers: [ONNXTensor] = [],
                inputs: [ONNXValueInfo] = [], outputs: [ONNXValueInfo] = []) {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The initializer called `name`, if any.
    public func initializer(named name: String) -> ONNXTensor? { initializers.first { $0.name == name } }

    /// How many nodes run each operator (`["Gemm": 2, "Relu": 1]`).
    public var operatorCounts: [String: Int] { nodes.reduce(into: [:]) { $0[$1.opType, default: 0] += 1 } }
}

/// `NodeProto`: one operator application.
public struct ONNXNode: Sendable, Equatable {
    public var name: String
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [ONNXAttribute]

    public init(name: String, opType: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = []) {
        self.name = name
        self.opType = opType
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }
}

/// `AttributeProto`, for the attribute types exported operators use.
public struct ONNXAttribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case integer(Int)
        case integers([Int])
        case float(Float)
        case string(String)

        /// `AttributeProto.AttributeType`'s number for the value.
        var typeNumber: Int {
            switch self {
            case .float: return 1
            case .integer: return 2
            case .string: return 3
            case .integers: return 7
            }
        }
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }
}

/// `TensorProto.DataType`, for the element types exported tensors use.
public enum ONNXDataType: Int, Sendable, Equatable, CustomStringConvertible {
    case float = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7

    /// Bytes per element in `raw_data`.
    public var byteWidth: Int {
        switch self {
        case .uint8, .int8: return 1
        case .float, .int32: return 4
        case .int64: return 8
        }
    }

    public var description: String {
        switch self {
        case .float: return "float"
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .int32: return "int32"
        case .int64: return "int64"
        }
    }
}

/// `TensorProto` with its elements in `raw_data` (fixed width, little-endian).
public struct ONNXTensor: Sendable, Equatable {
    public var name: String
    public var dataType: ONNXDataType
    /// The shape; empty for a scalar.
    public var dimensions: [Int]
    public var rawData: [UInt8]

    public init(name: String, dataType: ONNXDataType, dimensions: [Int], rawData: [UInt8]) {
        self.name = name
        self.dataType = dataType
        self.dimensions = dimensions
        self.rawData = rawData
    }

    public init(name: String, dimensions: [Int], floats: [Float]) {
        precondition(floats.count == dimensions.reduce(1, *), "ONNXTensor \(name): \(floats.count) values for \(dimensions)")
        var raw: [UInt8] = []
        raw.reserveCapacity(floats.count * 4)
        for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        self.init(name: name, dataType: .float, dimensions: dimensions, rawData: raw)
    }

    public init(name: String, dimensions: [Int], int8s: [Int8]) {
        precondition(int8s.count == dimensions.reduce(1, *), "ONNXTensor \(name): \(int8s.count) values for \(dimensions)")
        self.init(name: name, dataType: .int8, dimensions: dimensions, rawData: int8s.map { UInt8(bitPattern: $0) })
    }

    public init(name: String, dimensions: [Int], int32s: [Int32]) {
        precondition(int32s.count == dimensions.reduce(1, *), "ONNXTensor \(name): \(int32s.count) values for \(dimensions)")
        var raw: [UInt8] = []
        raw.reserveCapacity(int32s.count * 4)
        for value in int32s { withUnsafeBytes(of: value.littleEndian) { raw.append(contentsOf: $0) } }
        self.init(name: name, dataType: .int32, dimensions: dimensions, rawData: raw)
    }

    /// The number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// The elements of a float tensor.
    public var floats: [Float] {
        precondition(dataType == .float, "ONNXTensor \(name) is \(dataType), not float")
        return stride(from: 0, to: rawData.count, by: 4).map { Float(bitPattern: littleEndianWord(at: $0)) }
    }

    /// The elements of an int8 tensor.
    public var int8s: [Int8] {
        precondition(dataType == .int8, "ONNXTensor \(name) is \(dataType), not int8")
        return rawData.map { Int8(bitPattern: $0) }
    }

    /// The elements of an int32 tensor.
    public var int32s: [Int32] {
        precondition(dataType == .int32, "ONNXTensor \(name) is \(dataType), not int32")
        return stride(from: 0, to: rawData.count, by: 4).map { Int32(bitPattern: littleEndianWord(at: $0)) }
    }

    private func littleEndianWord(at offset: Int) -> UInt32 {
        UInt32(rawData[offset]) | UInt32(rawData[offset + 1]) << 8 | UInt32(rawData[offset + 2]) << 16
            | UInt32(rawData[offset + 3]) << 24
    }
}

/// `ValueInfoProto` of a tensor: its name, element type and shape.
public struct ONNXValueInfo: Sendable, Equatable {
    /// One dimension: a fixed size or a named, free one (`batch`).
    public enum Dimension: Sendable, Equatable {
        case size(Int)
        case named(String)
    }

    public var name: String
    public var elementType: ONNXDataType
    public var shape: [Dimension]

    public init(name: String, elementType: ONNXDataType = .float, shape: [Dimension]) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }
}
