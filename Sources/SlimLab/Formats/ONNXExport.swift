import SlimKernels

/// A model as an ONNX graph (opset 13), in the form a deployment runtime would be handed.
///
/// - fp32 layers map one to one: Dense → `Gemm` (transB = 1, W stays [out, in]), ReLU →
///   `Relu`, Conv2D → `Conv`, MaxPool2D → `MaxPool` (kernel = stride, floor), Flatten →
///   `Flatten` (axis 1). Pruned weights are written dense, with their zeros; weights under a
///   fake-quant transform are written as the forward uses them.
/// - A static int8 variant is written in the QDQ form: every point where the int8 engine holds
///   codes gets `QuantizeLinear` → `DequantizeLinear` with the calibrated scale and zero point
///   (round half to even, saturating to int8, exactly the engine's rule); each weight is an
///   int8 initializer with per-channel scales on axis 0 (or one scale), dequantized into a
///   value that keeps the weight's name (`fc1.weight`); a hidden layer's bias is the engine's
///   int32 bias b₃₂ = round(b / (s_x·s_w)) dequantized with scale s_x·s_w, the last layer's
///   the Float bias. A runtime is free to fuse each DQ → Gemm → (Relu) → Q into one integer
///   kernel, which is what SlimLab's engine runs.
/// - Weight-only variants (and the pruned-and-quantized layers `search` makes) keep Float
///   activations: only the weights go through `DequantizeLinear`; pruned codes are written
///   dense, zeros included (the form every runtime runs).
///
/// The input is `input` of shape [batch] + the model's input shape, holding features as
/// SlimLab's model sees them (after the dataset's normalization); the output is the last
/// layer's (`fc2.out`, the logits).
public enum ONNXExport {
    /// How a variant was written.
    public enum Form: String, Sendable, Equatable {
        case float32 = "fp32"
        case weightOnly = "weight-only QDQ"
        case staticQDQ = "static int8 QDQ"
    }

    /// The graph of `model` (named `name` in the file).
    public static func graph(of model: Model, name: String) throws(ONNXExportError) -> (model: ONNXModel, form: Form) {
        var builder = Builder()
        let engine = try staticEngine(of: model)
        var form = Form.float32
        let inputShape = [ONNXValueInfo.Dimension.named("batch")] + model.inputShape.map { ONNXValueInfo.Dimension.size($0) }
        builder.inputs = [ONNXValueInfo(name: "input", shape: inputShape)]
        var current = "input"
        var stages: [String: Int8DenseStage] = [:]
        // After the layer named here, the engine holds int8 codes on this grid.
        var gridAfter: [String: ActivationQuantization] = [:]
        if let engine {
            form = .staticQDQ
            try checkActivationGrid(engine.input)
            current = builder.quantizeDequantize(current, engine.input.parameters)
            for stage in engine.stages {
                stages[stage.name] = stage
                if let output = stage.output {
                    try checkActivationGrid(output)
                    gridAfter[stage.fusedReLUName ?? stage.name] = output
                }
            }
        }
        for (index, layer) in model.layers.enumerated() {
            let output = "\(layer.name).out"
            switch layer {
            case let dense as Dense:
                let weight: String, bias: String
                if let stage = stages[dense.name] {
                    weight = builder.dequantizedWeight("\(dense.name).weight", stage.weight)
                    if stage.output != nil {
                        bias = builder.dequantizedBias("\(dense.name).bias", stage)
                    } else {
                        bias = builder.floatInitializer("\(dense.name).bias", stage.floatBias, shape: [stage.outputFeatures])
                    }
                } else if engine != nil {
                    throw .unsupportedLayer(name: dense.name, kind: dense.kind, reason: "the int8 engine does not run it")
                } else if let kernel = dense.inferenceKernel as? WeightOnlyDenseKernel, case let .grid(quantized) = kernel.storage {
                    form = .weightOnly
                    weight = builder.dequantizedWeight("\(dense.name).weight", quantized)
                    bias = builder.floatInitializer("\(dense.name).bias", dense.bias)
                } else if let kernel = dense.inferenceKernel as? SparseCodesDenseKernel {
                    form = .weightOnly
                    weight = builder.dequantizedWeight("\(dense.name).weight", kernel.quantized)
                    bias = builder.floatInitializer("\(dense.name).bias", dense.bias)
                } else {
                    let effective = dense.weightTransform?.transformed(dense.weight) ?? dense.weight
                    weight = builder.floatInitializer("\(dense.name).weight", effective)
                    bias = builder.floatInitializer("\(dense.name).bias", dense.bias)
                }
                builder.node(dense.name, "Gemm", [current, weight, bias], output, [ONNXAttribute("transB", .integer(1))])
            case let conv as Conv2D:
                if engine != nil { throw .unsupportedLayer(name: conv.name, kind: conv.kind, reason: "the int8 engine does not run it") }
                let effective = conv.weightTransform?.transformed(conv.weight) ?? conv.weight
                let weight = builder.floatInitializer("\(conv.name).weight", effective)
                let bias = builder.floatInitializer("\(conv.name).bias", conv.bias)
                let k = conv.kernelSize, s = conv.stride, p = conv.padding
                builder.node(conv.name, "Conv", [current, weight, bias], output, [
                    ONNXAttribute("kernel_shape", .integers([k, k])), ONNXAttribute("strides", .integers([s, s])),
                    ONNXAttribute("pads", .integers([p, p, p, p])),
                ])
            case is ReLU:
                builder.node(layer.name, "Relu", [current], output)
            case let pool as MaxPool2D:
                builder.node(pool.name, "MaxPool", [current], output, [
                    ONNXAttribute("kernel_shape", .integers([pool.size, pool.size])),
                    ONNXAttribute("strides", .integers([pool.size, pool.size])),
                ])
            case is Flatten:
                builder.node(layer.name, "Flatten", [current], output, [ONNXAttribute("axis", .integer(1))])
            default:
                throw .unsupportedLayer(name: layer.name, kind: layer.kind,
                                        reason: "export knows dense, conv2d, relu, maxpool2d and flatten")
            }
            current = output
            if let grid = gridAfter[layer.name], index < model.layers.count - 1 {
                current = builder.quantizeDequantize(current, grid.parameters)
            }
        }
        builder.outputs = [ONNXValueInfo(name: current, shape: [.named("batch"), .size(model.classCount)])]
        let graph = ONNXGraph(name: name, nodes: builder.nodes, initializers: builder.initializers,
                              inputs: builder.inputs, outputs: builder.outputs)
        let file = ONNXModel(producerVersion: slimLabVersion,
                             documentation: "SlimLab variant \(name) (\(form.rawValue)), \(model.architecture.specification)",
                             graph: graph)
        return (file, form)
    }

    private static func staticEngine(of model: Model) throws(ONNXExportError) -> Int8Network? {
        guard let engine = model.inferenceEngine else { return nil }
        guard let network = engine as? Int8Network else { throw .unsupportedEngine(engine.label) }
        return network
    }

    /// ONNX's int8 QuantizeLinear saturates to [−128, 127]: a narrower activation grid has no
    /// opset-13 form.
    private static func checkActivationGrid(_ grid: ActivationQuantization) throws(ONNXExportError) {
        let range = grid.parameters.range
        guard range.qmin == -128, range.qmax == 127 else {
            throw .narrowActivations(name: grid.name, bits: range.bits)
        }
    }

    /// Accumulates nodes and initializers.
    struct Builder {
        var nodes: [ONNXNode] = []
        var initializers: [ONNXTensor] = []
        var inputs: [ONNXValueInfo] = []
        var outputs: [ONNXValueInfo] = []

        mutating func node(_ name: String, _ op: String, _ inputs: [String], _ output: String,
                           _ attributes: [ONNXAttribute] = []) {
            nodes.append(ONNXNode(name: name, opType: op, inputs: inputs, outputs: [output], attributes: attributes))
        }

        mutating func floatInitializer(_ name: String, _ tensor: Tensor<Float>) -> String {
            floatInitializer(name, tensor.scalars, shape: tensor.shape)
        }

        mutating func floatInitializer(_ name: String, _ values: [Float], shape: [Int]) -> String {
            initializers.append(ONNXTensor(name: name, dimensions: shape, floats: values))
            return name
        }

        /// `value` → QuantizeLinear → DequantizeLinear on one activation grid.
        mutating func quantizeDequantize(_ value: String, _ grid: QuantizationParameters) -> String {
            let scale = floatInitializer("\(value)_scale", [grid.scale], shape: [])
            let zero = "\(value)_zero_point"
            initializers.append(ONNXTensor(name: zero, dimensions: [], int8s: [Int8(grid.zeroPoint)]))
            node("\(value)_QuantizeLinear", "QuantizeLinear", [value, scale, zero], "\(value)_quantized")
            node("\(value)_DequantizeLinear", "DequantizeLinear", ["\(value)_quantized", scale, zero], "\(value)_dequantized")
            return "\(value)_dequantized"
        }

        /// An int8 weight initializer dequantized into a value named `name`.
        mutating func dequantizedWeight(_ name: String, _ quantized: QuantizedTensor) -> String {
            let perChannel = quantized.parameters.count > 1 || quantized.spec.granularity == .channel
            let scaleShape = perChannel ? [quantized.parameters.count] : []
            let codes = quantized.codes.scalars
            initializers.append(ONNXTensor(name: "\(name)_quantized", dimensions: quantized.shape, int8s: codes))
            let scale = floatInitializer("\(name)_scale", quantized.parameters.map(\.scale), shape: scaleShape)
            initializers.append(ONNXTensor(name: "\(name)_zero_point", dimensions: scaleShape,
                                           int8s: quantized.parameters.map { Int8($0.zeroPoint) }))
            node("\(name)_DequantizeLinear", "DequantizeLinear", ["\(name)_quantized", scale, "\(name)_zero_point"], name,
                 perChannel ? [ONNXAttribute("axis", .integer(0))] : [])
            return name
        }

        /// The engine's int32 bias of a requantizing layer, dequantized with s_x·s_w[j].
        mutating func dequantizedBias(_ name: String, _ stage: Int8DenseStage) -> String {
            let n = stage.outputFeatures
            initializers.append(ONNXTensor(name: "\(name)_quantized", dimensions: [n], int32s: stage.integerBias))
            let scales = (0..<n).map { stage.input.scale * stage.packed.scale($0) }
            let scale = floatInitializer("\(name)_scale", scales, shape: [n])
            initializers.append(ONNXTensor(name: "\(name)_zero_point", dimensions: [n], int32s: Array(repeating: 0, count: n)))
            node("\(name)_DequantizeLinear", "DequantizeLinear", ["\(name)_quantized", scale, "\(name)_zero_point"], name,
                 [ONNXAttribute("axis", .integer(0))])
            return name
        }
    }
}

/// Why a variant cannot be exported to ONNX.
public enum ONNXExportError: Error, CustomStringConvertible, Equatable {
    case unsupportedLayer(name: String, kind: String, reason: String)
    case unsupportedEngine(String)
    case narrowActivations(name: String, bits: Int)

    public var description: String {
        switch self {
        case let .unsupportedLayer(name, kind, reason):
            return "layer \(name) (\(kind)) has no ONNX form here: \(reason)"
        case let .unsupportedEngine(label):
            return "the variant runs on '\(label)', which has no ONNX form; export its source instead"
        case let .narrowActivations(name, bits):
            return "activation \(name) is quantized to \(bits) bits, but opset 13's QuantizeLinear saturates to the full int8 range; quantize with abits=8 to export"
        }
    }
}
