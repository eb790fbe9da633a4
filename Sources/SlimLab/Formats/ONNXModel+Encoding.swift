/// Writing an ONNX model as protobuf bytes. Field numbers are `onnx.proto`'s:
///
///     ModelProto          ir_version 1, producer_name 2, producer_version 3, doc_string 6,
///                         graph 7, opset_import 8
///     OperatorSetIdProto  domain 1, version 2
///     GraphProto          node 1, name 2, initializer 5, input 11, output 12
///     NodeProto           input 1, output 2, name 3, op_type 4, attribute 5
///     AttributeProto      name 1, f 2, i 3, s 4, ints 8, type 20
///     TensorProto         dims 1, data_type 2, name 8, raw_data 9
///     ValueInfoProto      name 1, type 2
///     TypeProto           tensor_type 1;  TypeProto.Tensor  elem_type 1, shape 2
///     TensorShapeProto    dim 1;  Dimension  dim_value 1, dim_param 2
extension ONNXModel {
    /// The model's protobuf bytes (a `.onnx` file).
    public func serialized() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.integer(1, irVersion)
        writer.string(2, producerName)
        if !producerVersion.isEmpty { writer.string(3, producerVersion) }
        if !documentation.isEmpty { writer.string(6, documentation) }
        writer.message(7) { graph.encode(into: &$0) }
        writer.message(8) { opset in
            opset.string(1, "")
            opset.integer(2, opsetVersion)
        }
        return writer.encoded
    }
}

extension ONNXGraph {
    func encode(into writer: inout ProtobufWriter) {
        for node in nodes { writer.message(1) { node.encode(into: &$0) } }
        writer.string(2, name)
        for tensor in initializers { writer.message(5) { tensor.encode(into: &$0) } }
        for input in inputs { writer.message(11) { input.encode(into: &$0) } }
        for output in outputs { writer.message(12) { output.encode(into: &$0) } }
    }
}

extension ONNXNode {
    func encode(into writer: inout ProtobufWriter) {
        for input in inputs { writer.string(1, input) }
        for output in outputs { writer.string(2, output) }
        writer.string(3, name)
        writer.string(4, opType)
        for attribute in attributes { writer.message(5) { attribute.encode(into: &$0) } }
    }
}

extension ONNXAttribute {
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        switch value {
        case let .float(f): writer.float(2, f)
        case let .integer(i): writer.integer(3, i)
        case let .string(s): writer.string(4, s)
        // Unpacked, as the reference implementation writes repeated int64 in proto2.
        case let .integers(values): for v in values { writer.integer(8, v) }
        }
        writer.integer(20, value.typeNumber)
    }
}

extension ONNXTensor {
    func encode(into writer: inout ProtobufWriter) {
        for dimension in dimensions { writer.integer(1, dimension) }
        writer.integer(2, dataType.rawValue)
        writer.string(8, name)
        writer.data(9, rawData)
    }
}

extension ONNXValueInfo {
    func encode(into writer: inout ProtobufWriter) {
        writer.string(1, name)
        writer.message(2) { type in
            type.message(1) { tensor in
                tensor.integer(1, elementType.rawValue)
                tensor.message(2) { tensorShape in
                    for dimension in shape {
                        tensorShape.message(1) { dim in
                            switch dimension {
                            case let .size(size): dim.integer(1, size)
                            case let .named(name): dim.string(2, name)
                            }
                        }
                    }
                }
            }
        }
    }
}
