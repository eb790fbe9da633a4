import SlimKernels

/// A 2-D convolution over NCHW batches, k×k kernels with stride and zero padding, computed as
/// im2col + GEMM: every output position's receptive field becomes one column, and one GEMM of
/// the weights [out, in·k·k] with the columns of the whole batch gives every output channel at
/// every position.
///
/// The weight has PyTorch's `nn.Conv2d` layout [out, in, k, k]; the bias is [out].
/// Output size per side: ⌊(side + 2·padding − k) / stride⌋ + 1.
public struct Conv2D: Layer {
    public static let kind = "conv2d"

    public var name: String
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    /// `[weight [out, in, k, k], bias [out]]`.
    public var parameters: [Parameter]
    public let initialization: WeightInitialization
    /// Fake quantization (or another transform) applied to the kernels in every forward.
    public var weightTransform: (any WeightTransform)?

    private var lastColumns: Tensor<Float>?
    private var lastWeight: Tensor<Float>?
    private var lastInputShape: [Int]?

    /// A layer with kernels drawn by `initialization` (fan-in in·k·k, fan-out out·k·k) and zero biases.
    public init(name: String, inputChannels: Int, outputChannels: Int, kernelSize: Int = 3,
                stride: Int = 1, padding: Int = 0, initialization: WeightInitialization = .heNormal,
                generator: inout SeededGenerator) {
        let weight = initialization.sample(
            shape: [outputChannels, inputChannels, kernelSize, kernelSize],
            fanIn: inputChannels * kernelSize * kernelSize, fanOut: outputChannels * kernelSize * kernelSize,
            generator: &generator)
        self.init(name: name, weight: weight, bias: .zeros([outputChannels]), stride: stride,
                  padding: padding, initialization: initialization)
    }

    /// A layer with the given weight [out, in, k, k] and bias [out].
    public init(name: String, weight: Tensor<Float>, bias: Tensor<Float>, stride: Int = 1, padding: Int = 0,
                initialization: WeightInitialization = .heNormal) {
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3] && bias.shape == [weight.shape[0]],
                     "Conv2D \(name): weight \(weight.shape) and bias \(bias.shape) do not fit [out, in, k, k] and [out]")
        precondition(stride >= 1 && padding >= 0, "Conv2D \(name): stride \(stride) must be ≥ 1, padding \(padding) ≥ 0")
        self.name = name
        self.outputChannels = weight.shape[0]
        self.inputChannels = weight.shape[1]
        self.kernelSize = weight.shape[2]
        self.stride = stride
        self.padding = padding
        self.initialization = initialization
        self.parameters = [Parameter(name: "weight", role: .weight, value: weight),
                           Parameter(name: "bias", role: .bias, value: bias)]
    }

    public init(description: LayerDescription, inputShape: [Int], generator: inout SeededGenerator) throws {
        let input = try description.integer("in"), output = try description.integer("out")
        let kernel = try description.integer("kernel")
        let stride = description.attributes["stride"] == nil ? 1 : try description.integer("stride")
        let padding = description.attributes["padding"] == nil ? 0 : try description.integer("padding", minimum: 0)
        var initialization = WeightInitialization.heNormal
        if let text = description.attributes["init"] {
            guard let parsed = WeightInitialization(rawValue: text) else {
                throw ModelError.invalidAttribute(
                    layer: description.name, attribute: "init", value: text,
                    allowed: WeightInitialization.allCases.map(\.rawValue).joined(separator: ", "))
            }
            initialization = parsed
        }
        self.init(name: description.name, inputChannels: input, outputChannels: output, kernelSize: kernel,
                  stride: stride, padding: padding, initialization: initialization, generator: &generator)
        _ = try outputShape(for: inputShape)
    }

    public var description: LayerDescription {
        var attributes = LayerDescription(
            kind: Self.kind, name: name,
            integers: ["in": inputChannels, "out": outputChannels, "kernel": kernelSize,
                       "stride": stride, "padding": padding]).attributes
        attributes["init"] = initialization.rawValue
        return LayerDescription(kind: Self.kind, name: name, attributes: attributes)
    }

    /// The kernels [out, in, k, k].
    public var weight: Tensor<Float> { parameters[0].value }
    /// The bias vector [out].
    public var bias: Tensor<Float> { parameters[1].value }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let reach = kernelSize - 2 * padding
        guard inputShape.count == 3, inputShape[0] == inputChannels,
              inputShape[1] >= reach, inputShape[2] >= reach else {
            throw ModelError.shapeMismatch(
                layer: name, expected: "[\(inputChannels), height, width] with sides ≥ \(max(1, reach))",
                got: inputShape)
        }
        return [outputChannels, (inputShape[1] - reach) / stride + 1, (inputShape[2] - reach) / stride + 1]
    }

    public func forward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let columns = imageColumns(input)
        return convolve(columns, weight: weightTransform?.transformed(weight) ?? weight,
                        inputShape: input.shape, pool: pool)
    }

    public mutating func trainingForward(_ input: Tensor<Float>, pool: ComputePool) -> Tensor<Float> {
        let columns = imageColumns(input)
        let effective = weightTransform?.transformed(weight) ?? weight
        lastColumns = columns
        lastWeight = effective
        lastInputShape = input.shape
        return convolve(columns, weight: effective, inputShape: input.shape, pool: pool)
    }

    public mutating func backward(_ outputGradient: Tensor<Float>, needsInputGradient: Bool,
                                  pool: ComputePool) -> Tensor<Float>? {
        guard let columns = lastColumns, let effective = lastWeight, let inputShape = lastInputShape else {
            preconditionFailure("Conv2D \(name): backward without a training forward")
        }
        releaseTrainingState()
        let batch = inputShape[0]
        let g = geometry(inputShape)
        precondition(outputGradient.shape == [batch, outputChannels, g.outputHeight, g.outputWidth],
                     "Conv2D \(name): gradient \(outputGradient.shape), expected \([batch, outputChannels, g.outputHeight, g.outputWidth])")
        let pixels = batch * g.outputPixels

        // ∂L/∂Y as [out, batch·pixels], the layout of the forward GEMM's result.
        let gradientRows = Tensor<Float>(shape: [outputChannels, pixels]) { rows in
            outputGradient.withUnsafeBufferPointer { dY in
                LayerMath.swapLeadingAxes(dY.baseAddress!, outer: batch, inner: outputChannels,
                                          block: g.outputPixels, into: rows.baseAddress!)
            }
        }
        // ∂L/∂W = ∂L/∂Y · columnsᵀ.
        var weightGradient = Tensor<Float>(shape: weight.shape) { dW in
            gradientRows.withUnsafeBufferPointer { dY in
                columns.withUnsafeBufferPointer { cols in
                    gemm(.none, .transposed, m: outputChannels, n: g.patchSize, k: pixels,
                         a: dY.baseAddress!, lda: pixels, b: cols.baseAddress!, ldb: pixels,
                         c: dW.baseAddress!, ldc: g.patchSize, pool: pool)
                }
            }
        }
        if let weightTransform {
            weightGradient = weightTransform.gradient(weightGradient, weight: weight)
        }
        parameters[0].gradient = weightGradient
        // ∂L/∂b[o] = Σ_p ∂L/∂Y[o, p], each a chain of additions in pixel order; four channels'
        // chains run side by side (the same bits, a quarter of the wait on each addition).
        parameters[1].gradient = Tensor(shape: [outputChannels]) { db in
            gradientRows.withUnsafeBufferPointer { dY in
                var o = 0
                while o + 4 <= outputChannels {
                    let r0 = dY.baseAddress! + o * pixels, r1 = r0 + pixels, r2 = r1 + pixels, r3 = r2 + pixels
                    var t0: Float = 0, t1: Float = 0, t2: Float = 0, t3: Float = 0
                    for p in 0..<pixels { t0 += r0[p]; t1 += r1[p]; t2 += r2[p]; t3 += r3[p] }
                    db[o] = t0; db[o + 1] = t1; db[o + 2] = t2; db[o + 3] = t3
                    o += 4
                }
                while o < outputChannels {
                    var total: Float = 0
                    for p in 0..<pixels { total += dY[o * pixels + p] }
                    db[o] = total
                    o += 1
                }
            }
        }
        guard needsInputGradient else { return nil }
        // ∂L/∂columns = Wᵀ · ∂L/∂Y, folded back onto the images by col2im.
        let columnGradient = Tensor<Float>(shape: [g.patchSize, pixels]) { dCols in
            gradientRows.withUnsafeBufferPointer { dY in
                effective.withUnsafeBufferPointer { w in
                    gemm(.transposed, .none, m: g.patchSize, n: pixels, k: outputChannels,
                         a: w.baseAddress!, lda: g.patchSize, b: dY.baseAddress!, ldb: pixels,
                         c: dCols.baseAddress!, ldc: pixels, pool: pool)
                }
            }
        }
        return columnGradient.col2im(g, batch: batch)
    }

    public mutating func releaseTrainingState() {
        lastColumns = nil
        lastWeight = nil
        lastInputShape = nil
    }

    private func geometry(_ inputShape: [Int]) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: inputChannels, height: inputShape[2], width: inputShape[3],
                            kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
    }

    /// The im2col matrix [in·k·k, batch·pixels] of an NCHW batch: image n's columns start at
    /// column n·pixels.
    private func imageColumns(_ input: Tensor<Float>) -> Tensor<Float> {
        precondition(input.rank == 4 && input.shape[1] == inputChannels,
                     "Conv2D \(name): input \(input.shape), expected [batch, \(inputChannels), h, w]")
        return input.im2col(geometry(input.shape))
    }

    /// W·columns + b as [out, batch·pixels], rearranged to NCHW.
    private func convolve(_ columns: Tensor<Float>, weight: Tensor<Float>, inputShape: [Int],
                          pool: ComputePool) -> Tensor<Float> {
        let batch = inputShape[0]
        let g = geometry(inputShape)
        let pixels = batch * g.outputPixels
        let rows = Tensor<Float>(shape: [outputChannels, pixels]) { y in
            columns.withUnsafeBufferPointer { cols in
                weight.withUnsafeBufferPointer { w in
                    bias.withUnsafeBufferPointer { b in
                        gemm(.none, .none, m: outputChannels, n: pixels, k: g.patchSize,
                             a: w.baseAddress!, lda: g.patchSize, b: cols.baseAddress!, ldb: pixels,
                             c: y.baseAddress!, ldc: pixels, pool: pool)
                        for o in 0..<outputChannels {
                            let row = y.baseAddress! + o * pixels, value = b[o]
                            for p in 0..<pixels { row[p] += value }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, outputChannels, g.outputHeight, g.outputWidth]) { y in
            rows.withUnsafeBufferPointer { r in
                LayerMath.swapLeadingAxes(r.baseAddress!, outer: outputChannels, inner: batch,
                                          block: g.outputPixels, into: y.baseAddress!)
            }
        }
    }
}
