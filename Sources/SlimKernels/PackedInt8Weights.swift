/// The int8 weights of a layer, `[outputCount, inputCount]` (PyTorch's `[out, in]`), packed
/// once for `gemmInt8`: panels of 32 output channels, the input dimension in groups of 4 bytes
/// (`[outputCount/32][inputCount/4][32][4]`), the layout of the `vpdpbusd` instruction, which
/// multiplies 4 unsigned by 4 signed bytes and adds them into one int32 lane. The weights are
/// its unsigned operand, stored as `w + 128` (see `Int8Operands.groups`).
///
/// The same weights are also kept widened to int16, in panels of 16 channels by pairs of
/// inputs (`[outputCount/16][inputCount/2][16][2]`, zero-padded), the layout of `vpmaddwd` for
/// the AVX2 and generic kernels.
///
/// It also holds each output channel's weight sum `Σₚ w[j, p]`, for the activations' zero
/// point (`−z_a·Σw`), and the quantization parameters: one scale and zero point for the
/// tensor, or one per output channel.
public struct PackedInt8Weights: @unchecked Sendable {
    /// Output channels (`n` of the GEMM).
    public let outputCount: Int
    /// Inputs per output channel (`k` of the GEMM).
    public let inputCount: Int
    /// The weight scales: one (per tensor) or `outputCount` (per channel).
    public let scales: [Float]
    /// The weight zero points, as many as `scales` (all 0 for symmetric quantization).
    public let zeroPoints: [Int32]
    /// `Σₚ w[j, p]` per output channel.
    public let columnSums: [Int32]
    /// The `vpdpbusd` layout, `w + 128` as unsigned bytes.
    @usableFromInline let panels: AlignedStorage<UInt8>
    /// The int16 pair layout.
    let pairPanels: AlignedStorage<Int16>

    /// Output channels per packed panel.
    public static var panelWidth: Int { 32 }
    /// Input bytes per group, one `vpdpbusd` lane.
    public static var groupDepth: Int { 4 }

    /// Packs the row-major `[outputCount, inputCount]` codes `weights` (rows `ldw` apart).
    /// `scales` and `zeroPoints` hold one value, or one per output channel.
    public init(weights: UnsafePointer<Int8>, outputCount: Int, inputCount: Int, ldw: Int? = nil,
                scales: [Float], zeroPoints: [Int32]) {
        let ld = ldw ?? inputCount
        precondition(outputCount >= 0 && inputCount >= 0 && ld >= inputCount,
                     "PackedInt8Weights: bad shape \(outputCount)×\(inputCount) with ldw \(ld)")
        precondition(scales.count == 1 || scales.count == outputCount,
                     "PackedInt8Weights: \(scales.count) scales for \(outputCount) output channels (need 1 or \(outputCount))")
        precondition(zeroPoints.count == scales.count,
                     "PackedInt8Weights: \(zeroPoints.count) zero points for \(scales.count) scales")
        for s in scales { precondition(s > 0 && s.isFinite, "PackedInt8Weights: scale \(s) must be finite and > 0") }
        for z in zeroPoints { precondition(z >= -128 && z <= 127, "PackedInt8Weights: zero point \(z) outside -128…127") }
        self.outputCount = outputCount
        self.inputCount = inputCount
        self.scales = scales
        self.zeroPoints = zeroPoints
        let nr = Self.panelWidth, kr = Self.groupDepth
        let paddedK = (inputCount + kr - 1) / kr * kr
        let panelCount = (outputCount + nr - 1) / nr
        let storage = AlignedStorage<UInt8>(count: panelCount * paddedK * nr, repeating: 128)
        var sums = [Int32](repeating: 0, count: outputCount)
        for j in 0..<outputCount {
            let panel = j / nr, lane = j % nr
            let base = storage.pointer + panel * paddedK * nr
            var s: Int32 = 0
            for p in 0..<inputCount {
                let w = weights[j * ld + p]
                base[(p / kr) * nr * kr + lane * kr + p % kr] = UInt8(bitPattern: w) ^ 0x80
                s += Int32(w)
            }
            sums[j] = s
        }
        columnSums = sums
        panels = storage
        let pairWidth = 16
        let pairs = AlignedStorage<Int16>(count: (outputCount + pairWidth - 1) / pairWidth * paddedK * pairWidth,
                                          repeating: 0)
        for j in 0..<outputCount {
            let base = pairs.pointer + (j / pairWidth) * paddedK * pairWidth + (j % pairWidth) * 2
            for p in 0..<inputCount {
                base[(p / 2) * pairWidth * 2 + p % 2] = Int16(weights[j * ld + p])
            }
        }
        pairPanels = pairs
    }

    /// Packs a `[outputCount, inputCount]` tensor of codes.
    public init(weights: Tensor<Int8>, scales: [Float], zeroPoints: [Int32]) {
        precondition(weights.rank == 2, "PackedInt8Weights: weights must be [out, in], got shape \(weights.shape)")
        self = weights.withUnsafeBufferPointer { w in
            PackedInt8Weights(weights: w.baseAddress!, outputCount: weights.shape[0],
                              inputCount: weights.shape[1], scales: scales, zeroPoints: zeroPoints)
        }
    }

    /// Whether there is one scale per output channel.
    public var isPerChannel: Bool { scales.count == outputCount && outputCount != 1 }
    /// `inputCount` rounded up to a whole group.
    public var paddedInputCount: Int { (inputCount + 3) / 4 * 4 }
    /// The scale of output channel `j`.
    @inlinable public func scale(_ j: Int) -> Float { scales.count == 1 ? scales[0] : scales[j] }
    /// The zero point of output channel `j`.
    @inlinable public func zeroPoint(_ j: Int) -> Int32 { zeroPoints.count == 1 ? zeroPoints[0] : zeroPoints[j] }
    /// Whether every zero point is 0 (symmetric weights), which saves the activation row sums.
    public var isSymmetric: Bool { zeroPoints.allSatisfy { $0 == 0 } }

    /// The weight `w[j, p]` read back from the packed layout.
    public func weight(_ j: Int, _ p: Int) -> Int8 {
        precondition(j >= 0 && j < outputCount && p >= 0 && p < inputCount,
                     "PackedInt8Weights: index (\(j), \(p)) outside \(outputCount)×\(inputCount)")
        let nr = Self.panelWidth
        return Int8(bitPattern: panels.pointer[(j / nr) * paddedInputCount * nr + (p / 4) * nr * 4 + (j % nr) * 4 + p % 4] ^ 0x80)
    }

    /// The weights as a `[outputCount, inputCount]` tensor of codes.
    public func unpacked() -> Tensor<Int8> {
        var t = Tensor<Int8>(shape: [outputCount, inputCount], repeating: 0)
        for j in 0..<outputCount { for p in 0..<inputCount { t[flat: j * inputCount + p] = weight(j, p) } }
        return t
    }
}
