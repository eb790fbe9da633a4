/// Reading an ONNX model back from protobuf bytes (the field numbers of
/// `ONNXModel+Encoding.swift`). Fields outside SlimLab's subset are skipped; values SlimLab
/// cannot represent (another element type, tensor data outside `raw_data`, a graph attribute)
/// are errors naming the place.
extension ONNXModel {
    public init(serialized bytes: [UInt8]) throws(ONNXFormatError) {
        do {
            var reader = ProtobufReader(bytes[...], message: "ModelProto")
            var irVersion = 0, opsetVersion = 0
            var producerName = "", producerVersion = "", documentation = ""
            var graph: ONNXGraph?
            while let field = try reader.next() {
                switch field.number {
                case 1: irVersion = try field.integer(in: "ModelProto")
                case 2: producerName = try field.string(in: "ModelProto")
                case 3: producerVersion = try field.string(in: "ModelProto")
                case 6: documentation = try field.string(in: "ModelProto")
                case 7: graph = try ONNXGraph(decoding: try field.bytes(in: "ModelProto"))
                case 8:
                    var opset = ProtobufReader(try field.bytes(in: "ModelProto"), message: "OperatorSetIdProto")
                    var domain = "", version = 0
                    while let entry = try opset.next() {
                        if entry.number == 1 { domain = try entry.string(in: "OperatorSetIdProto") }
                        if entry.number == 2 { version = try entry.integer(in: "OperatorSetIdProto") }
                    }
                    if domain.isEmpty || domain == "ai.onnx" { opsetVersion = version }
                default: continue
                }
            }
            guard let graph else { throw ONNXFormatError.missing("ModelProto.graph") }
            self.init(irVersion: irVersion, opsetVersion: opsetVersion, producerName: producerName,
                      producerVersion: producerVersion, documentation: documentation, graph: graph)
        } catch let error as ProtobufError {
            throw .malformed(error)
        } catch let error as ONNXFormatError {
            throw error
        } catch {
            preconditionFailure("ONNXModel: unexpected \(error)")
        }
    }
}

extension ONNXGraph {
    init(decoding bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(bytes, message: "GraphProto")
        self.init(name: "")
        while let field = try reader.next() {
            switch field.number {
            case 1: nodes.append(try ONNXNode(decoding: try field.bytes(in: "GraphProto")))
            case 2: name = try field.string(in: "GraphProto")
            case 5: initializers.append(try ONNXTensor(decoding: try field.bytes(in: "GraphProto")))
            case 11: inputs.append(try ONNXValueInfo(decoding: try field.bytes(in: "GraphProto")))
            case 12: outputs.append(try ONNXValueInfo(decoding: try field.bytes(in: "GraphProto")))
            default: continue
            }
        }
    }
}

extension ONNXNode {
    init(decoding bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(bytes, message: "NodeProto")
        self.init(name: "", opType: "", inputs: [], outputs: [])
        while let field = try reader.next() {
            switch field.number {
            case 1: inputs.append(try field.string(in: "NodeProto"))
            case 2: outputs.append(try field.string(in: "NodeProto"))
            case 3: name = try field.string(in: "NodeProto")
            case 4: opType = try field.string(in: "NodeProto")
            case 5: attributes.append(try ONNXAttribute(decoding: try field.bytes(in: "NodeProto"), node: name))
            default: continue
            }
        }
    }
}

extension ONNXAttribute {
    init(decoding bytes: ArraySlice<UInt8>, node: String) throws {
        var reader = ProtobufReader(bytes, message: "AttributeProto")
        var name = "", type = 0
        var float: Float?, integer: Int?, string: String?, integers: [Int] = []
        while let field = try reader.next() {
            switch field.number {
            case 1: name = try field.string(in: "AttributeProto")
            case 2: float = try field.float(in: "AttributeProto")
            case 3: integer = try field.integer(in: "AttributeProto")
            case 4: string = try field.string(in: "AttributeProto")
            case 8: integers += try field.integers(in: "AttributeProto")
            case 20: type = try field.integer(in: "AttributeProto")
            default: continue
            }
        }
        switch type {
        case 1: guard let float else { throw ONNXFormatError.missing("attribute \(name).f") }; value = .float(float)
        case 2: guard let integer else { throw ONNXFormatError.missing("attribute \(name).i") }; value = .integer(integer)
        case 3: guard let string else { throw ONNXFormatError.missing("attribute \(name).s") }; value = .string(string)
        case 7: value = .integers(integers)
        default: throw ONNXFormatError.unsupported("attribute \(name) of node \(node) has type \(type)")
        }
        self.name = name
    }
}

extension ONNXTensor {
    init(decoding bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(bytes, message: "TensorProto")
        var dimensions: [Int] = [], typeNumber = 0, name = "", raw: [UInt8]?
        while let field = try reader.next() {
            switch field.number {
            case 1: dimensions += try field.integers(in: "TensorProto")
            case 2: typeNumber = try field.integer(in: "TensorProto")
            case 8: name = try field.string(in: "TensorProto")
            case 9: raw = Array(try field.bytes(in: "TensorProto"))
            case 4, 5, 7, 13: throw ONNXFormatError.unsupported("tensor \(name) keeps its data outside raw_data")
            default: continue
            }
        }
        guard let dataType = ONNXDataType(rawValue: typeNumber) else {
            throw ONNXFormatError.unsupported("tensor \(name) has data type \(typeNumber)")
        }
        guard let raw else { throw ONNXFormatError.missing("raw_data of tensor \(name)") }
        guard dimensions.allSatisfy({ $0 >= 0 }), raw.count == dimensions.reduce(1, *) * dataType.byteWidth else {
            throw ONNXFormatError.sizeMismatch(tensor: name, dimensions: dimensions, bytes: raw.count)
        }
        self.init(name: name, dataType: dataType, dimensions: dimensions, rawData: raw)
    }
}

extension ONNXValueInfo {
    init(decoding bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(bytes, message: "ValueInfoProto")
        var name = "", elementType = ONNXDataType.float, shape: [Dimension] = []
        while let field = try reader.next() {
            switch field.number {
            case 1: name = try field.string(in: "ValueInfoProto")
            case 2:
                var type = ProtobufReader(try field.bytes(in: "ValueInfoProto"), message: "TypeProto")
                while let typeField = try type.next() {
                    guard typeField.number == 1 else { continue }
                    var tensor = ProtobufReader(try typeField.bytes(in: "TypeProto"), message: "TypeProto.Tensor")
                    while let tensorField = try tensor.next() {
                        if tensorField.number == 1 {
                            let number = try tensorField.integer(in: "TypeProto.Tensor")
                            guard let parsed = ONNXDataType(rawValue: number) else {
                                throw ONNXFormatError.unsupported("value \(name) has element type \(number)")
                            }
                            elementType = parsed
                        } else if tensorField.number == 2 {
                            shape = try Self.shape(decoding: try tensorField.bytes(in: "TypeProto.Tensor"))
                        }
                    }
                }
            default: continue
            }
        }
        self.init(name: name, elementType: elementType, shape: shape)
    }

    private static func shape(decoding bytes: ArraySlice<UInt8>) throws -> [Dimension] {
        var reader = ProtobufReader(bytes, message: "TensorShapeProto")
        var shape: [Dimension] = []
        while let field = try reader.next() {
            guard field.number == 1 else { continue }
            var dim = ProtobufReader(try field.bytes(in: "TensorShapeProto"), message: "Dimension")
            var dimension = Dimension.named("")
            while let entry = try dim.next() {
                if entry.number == 1 { dimension = .size(try entry.integer(in: "Dimension")) }
                if entry.number == 2 { dimension = .named(try entry.string(in: "Dimension")) }
            }
            shape.append(dimension)
        }
        return shape
    }
}

/// Why bytes could not be read as an ONNX model.
public enum ONNXFormatError: Error, CustomStringConvertible, Equatable {
    case malformed(ProtobufError)
    case missing(String)
    case unsupported(String)
    case sizeMismatch(tensor: String, dimensions: [Int], bytes: Int)

    public var description: String {
        switch self {
        case let .malformed(error): return "not a readable ONNX file: \(error)"
        case let .missing(what): return "the ONNX file has no \(what)"
        case let .unsupported(what): return "SlimLab cannot read this ONNX file: \(what)"
        case let .sizeMismatch(tensor, dimensions, bytes):
            return "tensor \(tensor) of shape \(dimensions) holds \(bytes) bytes of data, which do not fit its shape"
        }
    }
}
