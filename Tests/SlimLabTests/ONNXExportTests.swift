import XCTest
import SlimKernels
@testable import SlimLab

/// The protobuf wire format, the ONNX writer and reader (round trip of every node and tensor),
/// and the exported graphs' meaning, checked by a small independent interpreter of the
/// operators they use (Gemm, Relu, Flatten, QuantizeLinear, DequantizeLinear) in Double.
final class ONNXExportTests: XCTestCase {
    private let pool = ComputePool(threads: 2)

    func testVarintsRoundTripAtTheEdges() throws {
        let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max]
        var writer = ProtobufWriter()
        for value in values { writer.appendVarint(value) }
        XCTAssertEqual(Array(writer.encoded.prefix(5)), [0x00, 0x01, 0x7F, 0x80, 0x01])
        var reader = ProtobufReader(writer.encoded[...], message: "test")
        for value in values { XCTAssertEqual(try reader.readVarint(), value) }
        XCTAssertTrue(reader.isAtEnd)

        var fields = ProtobufWriter()
        fields.integer(3, -2)
        fields.float(2, 1.5)
        fields.string(1, "fc1")
        XCTAssertEqual(fields.encoded.count, 11 + 5 + 5)       // -2 takes ten bytes
        var fieldReader = ProtobufReader(fields.encoded[...], message: "test")
        XCTAssertEqual(try fieldReader.next()?.integer(in: "t"), -2)
        XCTAssertEqual(try fieldReader.next()?.float(in: "t"), 1.5)
        XCTAssertEqual(try fieldReader.next()?.string(in: "t"), "fc1")
        XCTAssertNil(try fieldReader.next())
    }

    func testTruncatedBytesAreAnErrorNotACrash() throws {
        let (model, _, _) = try fixture()
        let bytes = try ONNXExport.graph(of: model, name: "m").model.serialized()
        for cut in [1, 7, bytes.count / 2, bytes.count - 1] {
            XCTAssertThrowsError(try ONNXModel(serialized: Array(bytes.prefix(cut)))) { error in
                XCTAssertTrue("\(error)".contains("ONNX"), "\(error)")
            }
        }
        XCTAssertThrowsError(try ONNXModel(serialized: [0x0F]))     // wire type 7
    }

    func testFloatMLPRoundTripsAndComputesTheSameLogits() throws {
        let (model, _, test) = try fixture()
        let (file, form) = try ONNXExport.graph(of: model, name: "baseline")
        XCTAssertEqual(form, .float32)
        let read = try ONNXModel(serialized: file.serialized())
        XCTAssertEqual(read, file)
        XCTAssertEqual(read.irVersion, 7)
        XCTAssertEqual(read.opsetVersion, 13)
        XCTAssertEqual(read.graph.nodes.map(\.opType), ["Gemm", "Relu", "Gemm"])
        XCTAssertEqual(read.graph.nodes[0].inputs, ["input", "fc1.weight", "fc1.bias"])
        XCTAssertEqual(read.graph.outputs.map(\.name), ["fc2.out"])
        XCTAssertEqual(read.graph.inputs[0].shape, [.named("batch"), .size(64)])
        XCTAssertEqual(read.graph.initializer(named: "fc1.weight")?.floats, try model.parameter(named: "fc1.weight").value.scalars)
        XCTAssertEqual(read.graph.initializer(named: "fc2.bias")?.dimensions, [10])

        let expected = model.logits(test, pool: pool)
        let actual = try Interpreter(read.graph).run(test)
        XCTAssertEqual(actual.count, expected.count)
        let worst = zip(actual, expected.scalars).map { abs($0 - Double($1)) }.max()!
        XCTAssertLessThan(worst, 1e-4)
    }

    func testStaticInt8MLPIsWrittenAsQDQWithTheEngineGrids() throws {
        let (model, calibration, test) = try fixture()
        let run = try PostTrainingQuantization.run(
            model, options: QuantizationOptions(bits: 8, granularity: .channel, calibration: CalibrationSettings(method: .minmax)),
            calibrationData: calibration, pool: pool)
        let engine = try XCTUnwrap(run.engine)
        let (file, form) = try ONNXExport.graph(of: run.variant, name: "int8")
        XCTAssertEqual(form, .staticQDQ)
        let read = try ONNXModel(serialized: file.serialized())
        XCTAssertEqual(read, file)
        XCTAssertEqual(read.graph.operatorCounts, ["QuantizeLinear": 2, "DequantizeLinear": 5, "Gemm": 2, "Relu": 1])
        XCTAssertEqual(read.graph.nodes.map(\.opType), [
            "QuantizeLinear", "DequantizeLinear", "DequantizeLinear", "DequantizeLinear", "Gemm", "Relu",
            "QuantizeLinear", "DequantizeLinear", "DequantizeLinear", "Gemm",
        ])
        // Weights: int8 codes with one scale per output channel on axis 0; the DQ output keeps the name.
        let weight = try XCTUnwrap(read.graph.initializer(named: "fc1.weight_quantized"))
        XCTAssertEqual(weight.dataType, .int8)
        XCTAssertEqual(weight.int8s, engine.stages[0].weight.codes.scalars)
        XCTAssertEqual(read.graph.initializer(named: "fc1.weight_scale")?.floats, engine.stages[0].weight.parameters.map(\.scale))
        let dequantize = try XCTUnwrap(read.graph.nodes.first { $0.outputs == ["fc1.weight"] })
        XCTAssertEqual(dequantize.attributes, [ONNXAttribute("axis", .integer(0))])
        XCTAssertEqual(read.graph.initializer(named: "fc1.bias_quantized")?.int32s, engine.stages[0].integerBias)
        XCTAssertEqual(read.graph.initializer(named: "fc2.bias")?.floats, engine.stages[1].floatBias)
        // Activations: the calibrated grids.
        XCTAssertEqual(read.graph.initializer(named: "input_scale")?.floats, [engine.input.parameters.scale])
        XCTAssertEqual(read.graph.initializer(named: "relu1.out_zero_point")?.int8s,
                       [Int8(engine.stages[0].output!.parameters.zeroPoint)])

        let expected = run.variant.logits(test, pool: pool)
        let actual = try Interpreter(read.graph).run(test)
        let classes = 10
        var agree = 0
        for row in 0..<test.shape[0] {
            let a = (0..<classes).max { actual[row * classes + $0] < actual[row * classes + $1] }!
            let e = (0..<classes).max { expected[row, $0] < expected[row, $1] }!
            if a == e { agree += 1 }
        }
        XCTAssertEqual(agree, test.shape[0])
    }

    func testWeightOnlyKeepsFloatActivationsAndNarrowActivationsAreRefused() throws {
        let (model, calibration, _) = try fixture()
        let weightOnly = try PostTrainingQuantization.run(model, options: QuantizationOptions(bits: 4, weightsOnly: true),
                                                          calibrationData: nil, pool: pool)
        let (file, form) = try ONNXExport.graph(of: weightOnly.variant, name: "w4")
        XCTAssertEqual(form, .weightOnly)
        XCTAssertEqual(file.graph.operatorCounts, ["DequantizeLinear": 2, "Gemm": 2, "Relu": 1])
        XCTAssertNil(file.graph.nodes.first { $0.opType == "DequantizeLinear" }?.attributes.first)   // per-tensor

        let narrow = try PostTrainingQuantization.run(model, options: QuantizationOptions(bits: 8, activationBits: 4),
                                                      calibrationData: calibration, pool: pool)
        XCTAssertThrowsError(try ONNXExport.graph(of: narrow.variant, name: "a4")) { error in
            XCTAssertEqual(error as? ONNXExportError, .narrowActivations(name: "input", bits: 4))
        }
    }

    func testCNNExportsConvAndPoolAttributes() throws {
        var generator = SeededGenerator(seed: 3)
        let model = try ModelArchitecture.cnn().makeModel(generator: &generator)
        let (file, _) = try ONNXExport.graph(of: model, name: "cnn")
        let read = try ONNXModel(serialized: file.serialized())
        XCTAssertEqual(read, file)
        XCTAssertEqual(read.graph.inputs[0].shape, [.named("batch"), .size(1), .size(8), .size(8)])
        let conv = try XCTUnwrap(read.graph.nodes.first { $0.opType == "Conv" })
        let convLayer = try XCTUnwrap(model.layers.first { $0 is Conv2D } as? Conv2D)
        let k = convLayer.kernelSize, p = convLayer.padding
        XCTAssertEqual(conv.attributes, [ONNXAttribute("kernel_shape", .integers([k, k])),
                                         ONNXAttribute("strides", .integers([convLayer.stride, convLayer.stride])),
                                         ONNXAttribute("pads", .integers([p, p, p, p]))])
        XCTAssertEqual(read.graph.initializer(named: "\(convLayer.name).weight")?.dimensions, convLayer.weight.shape)
        XCTAssertTrue(read.graph.nodes.contains { $0.opType == "MaxPool" })
        XCTAssertTrue(read.graph.nodes.contains { $0.opType == "Flatten" })
    }

    // MARK: Fixture and interpreter

    /// mlp 64-32-10 with random non-zero biases, and inputs that look standardized.
    private func fixture() throws -> (model: Model, calibration: Tensor<Float>, test: Tensor<Float>) {
        var generator = SeededGenerator(seed: 11)
        var model = try ModelArchitecture.mlp("64-32-10").makeModel(generator: &generator)
        model.updateParameters { _, parameter in
            if parameter.role == .bias {
                parameter.value = Tensor(shape: parameter.value.shape,
                                         scalars: (0..<parameter.count).map { _ in generator.uniform(-0.3, 0.3) })
            }
        }
        let calibration = Tensor<Float>(shape: [256, 64], scalars: (0..<256 * 64).map { _ in Float(generator.normal()) })
        let test = Tensor<Float>(shape: [200, 64], scalars: (0..<200 * 64).map { _ in Float(generator.normal()) })
        return (model, calibration, test)
    }

    /// ONNX semantics of the MLP operators, written from the operator definitions (not from
    /// SlimLab's kernels): values are [rows, columns] in Double.
    private struct Interpreter {
        let graph: ONNXGraph
        init(_ graph: ONNXGraph) { self.graph = graph }

        struct Value { var shape: [Int]; var data: [Double] }

        func run(_ input: Tensor<Float>) throws -> [Double] {
            var values: [String: Value] = ["input": Value(shape: input.shape, data: input.scalars.map(Double.init))]
            for tensor in graph.initializers {
                let data: [Double]
                switch tensor.dataType {
                case .float: data = tensor.floats.map(Double.init)
                case .int8: data = tensor.int8s.map(Double.init)
                case .int32: data = tensor.int32s.map(Double.init)
                default: throw ONNXFormatError.unsupported("\(tensor.dataType)")
                }
                values[tensor.name] = Value(shape: tensor.dimensions, data: data)
            }
            for node in graph.nodes {
                let x = try node.inputs.map { name in try XCTUnwrap(values[name], "missing \(name)") }
                let axis: Int? = node.attributes.first { $0.name == "axis" }.flatMap {
                    if case let .integer(a) = $0.value { return a } else { return nil }
                }
                let out: Value
                switch node.opType {
                case "Gemm":
                    let (rows, k) = (x[0].shape[0], x[0].shape[1]), n = x[1].shape[0]
                    var y = [Double](repeating: 0, count: rows * n)
                    for i in 0..<rows {
                        for j in 0..<n {
                            var sum = 0.0
                            for p in 0..<k { sum += x[0].data[i * k + p] * x[1].data[j * k + p] }
                            y[i * n + j] = Double(Float(sum)) + x[2].data[j]
                        }
                    }
                    out = Value(shape: [rows, n], data: y)
                case "Relu":
                    out = Value(shape: x[0].shape, data: x[0].data.map { max($0, 0) })
                case "Flatten":
                    out = Value(shape: [x[0].shape[0], x[0].data.count / x[0].shape[0]], data: x[0].data)
                case "QuantizeLinear", "DequantizeLinear":
                    let perAxis = x[1].data.count > 1
                    let group = perAxis ? x[0].data.count / x[0].shape[axis ?? 1] : 1
                    out = Value(shape: x[0].shape, data: x[0].data.enumerated().map { index, v in
                        let channel = perAxis ? (index / group) % x[1].data.count : 0
                        let (scale, zero) = (x[1].data[channel], x[2].data[channel])
                        if node.opType == "DequantizeLinear" { return Double(Float((v - zero) * scale)) }
                        let code = (Double(Float(v) / Float(scale))).rounded(.toNearestOrEven) + zero
                        return min(max(code, -128), 127)
                    })
                default:
                    throw ONNXFormatError.unsupported(node.opType)
                }
                values[node.outputs[0]] = out
            }
            return try XCTUnwrap(values[graph.outputs[0].name]).data
        }
    }
}
