import SlimKernels

/// Does the int8 engine compute what the fake-quant forward (the QAT / simulation view of the
/// same grids) says it does? Compared at every point where the engine holds codes, and at the
/// logits. A QAT model that scores well but deploys badly (TF-MOT#368) shows up here as a
/// point where the two paths part.
public struct DeploymentParity: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// `input`, `relu1.out`, …, `logits`.
        public var name: String
        /// The largest |engine − simulation| in real units.
        public var maxDifference: Double
        /// The same in grid steps (nil for the Float logits).
        public var maxCodeDifference: Int?
        /// Elements whose codes differ, over all elements (0 for the logits).
        public var differingFraction: Double
    }

    public var points: [Point]

    /// The point with the largest difference in real units.
    public var largest: Point? { points.max { $0.maxDifference < $1.maxDifference } }

    /// Runs `network` and its fake-quant simulation on `batch`.
    public init(network: Int8Network, batch: Tensor<Float>, pool: ComputePool) {
        let (engineLogits, codes) = network.run(batch, pool: pool)
        let (simulatedLogits, simulated) = FakeQuantSimulation(network: network).run(batch, pool: pool)
        let grids = [network.input] + network.stages.compactMap(\.output)
        var points: [Point] = []
        for (index, grid) in grids.enumerated() {
            let p = grid.parameters
            var worst = 0.0, worstCode = 0, differing = 0
            codes[index].withUnsafeBufferPointer { q in
                simulated[index].withUnsafeBufferPointer { x in
                    for i in 0..<q.count {
                        let simulatedCode = Int((x[i] / p.scale).rounded(.toNearestOrEven)) + p.zeroPoint
                        let step = abs(Int(q[i]) - simulatedCode)
                        if step != 0 { differing += 1 }
                        worstCode = max(worstCode, step)
                        worst = max(worst, abs(Double(p.dequantize(Int(q[i]))) - Double(x[i])))
                    }
                }
            }
            let count = codes[index].count
            points.append(Point(name: grid.name, maxDifference: worst, maxCodeDifference: worstCode,
                                differingFraction: count == 0 ? 0 : Double(differing) / Double(count)))
        }
        var worstLogit = 0.0
        engineLogits.withUnsafeBufferPointer { a in
            simulatedLogits.withUnsafeBufferPointer { b in
                for i in 0..<a.count { worstLogit = max(worstLogit, abs(Double(a[i]) - Double(b[i]))) }
            }
        }
        points.append(Point(name: "logits", maxDifference: worstLogit, maxCodeDifference: nil, differingFraction: 0))
        self.points = points
    }
}
