import SlimKernels

extension Normalization {
    /// The map that changes nothing, for `normalize=none`.
    public static func identity(featureCount: Int) -> Normalization {
        Normalization(method: .none, shift: Array(repeating: 0, count: featureCount),
                      scale: Array(repeating: 1, count: featureCount))
    }

    /// Fits per-feature statistics on `features` (shape `[count, featureCount]`), which should
    /// be the training part only, so that nothing about the test samples leaks into training.
    ///
    /// - `standard`: shift = mean, scale = population standard deviation (as scikit-learn's
    ///   `StandardScaler`), so each feature has mean 0 and variance 1 on the training part.
    /// - `minmax`: shift = minimum, scale = maximum − minimum, so the training part spans [0, 1].
    /// - `none`: shift 0, scale 1.
    ///
    /// A constant feature has scale 0; it gets scale 1 instead, so it maps to 0 rather than NaN.
    /// Sums are taken in Double, in sample order, so the result is the same on every run.
    public static func fit(_ method: Method, to features: Tensor<Float>) -> Normalization {
        precondition(features.rank == 2, "Normalization.fit: features must be [count, featureCount], got \(features.shape)")
        let (count, width) = (features.shape[0], features.shape[1])
        guard method != .none, count > 0 else { return identity(featureCount: width) }
        var shift = [Float](repeating: 0, count: width)
        var scale = [Float](repeating: 1, count: width)
        features.withUnsafeBufferPointer { x in
            switch method {
            case .standard:
                var sum = [Double](repeating: 0, count: width)
                for i in 0..<count { for j in 0..<width { sum[j] += Double(x[i * width + j]) } }
                let mean = sum.map { $0 / Double(count) }
                var squares = [Double](repeating: 0, count: width)
                for i in 0..<count {
                    for j in 0..<width {
                        let d = Double(x[i * width + j]) - mean[j]
                        squares[j] += d * d
                    }
                }
                for j in 0..<width {
                    shift[j] = Float(mean[j])
                    scale[j] = usableScale(Float((squares[j] / Double(count)).squareRoot()))
                }
            case .minmax:
                var low = Array(x[0..<width]), high = low
                for i in 1..<count {
                    for j in 0..<width {
                        low[j] = min(low[j], x[i * width + j])
                        high[j] = max(high[j], x[i * width + j])
                    }
                }
                for j in 0..<width {
                    shift[j] = low[j]
                    scale[j] = usableScale(high[j] - low[j])
                }
            case .none:
                break
            }
        }
        return Normalization(method: method, shift: shift, scale: scale)
    }

    /// 1 in place of a scale that would divide by zero or blow values up to infinity.
    private static func usableScale(_ scale: Float) -> Float {
        scale.isNormal && scale > 0 ? scale : 1
    }

    /// `features` mapped feature by feature: x′ = (x − shift) / scale.
    public func apply(to features: Tensor<Float>) -> Tensor<Float> {
        precondition(features.rank == 2 && features.shape[1] == shift.count,
                     "Normalization.apply: features \(features.shape) do not have \(shift.count) features")
        if method == .none { return features }
        let width = shift.count
        return Tensor(shape: features.shape) { output in
            features.withUnsafeBufferPointer { input in
                for i in 0..<features.shape[0] {
                    for j in 0..<width { output[i * width + j] = (input[i * width + j] - shift[j]) / scale[j] }
                }
            }
        }
    }

    /// One sample's features mapped: x′ = (x − shift) / scale.
    public func apply(to row: [Float]) -> [Float] {
        precondition(row.count == shift.count, "Normalization.apply: \(row.count) values for \(shift.count) features")
        if method == .none { return row }
        return row.indices.map { (row[$0] - shift[$0]) / scale[$0] }
    }

    /// The inverse map x = x′ · scale + shift, computed in Double.
    func inverted(_ features: Tensor<Float>) -> Tensor<Float> {
        if method == .none { return features }
        let width = shift.count
        return Tensor(shape: features.shape) { output in
            features.withUnsafeBufferPointer { input in
                for i in 0..<features.shape[0] {
                    for j in 0..<width {
                        output[i * width + j] = Float(Double(input[i * width + j]) * Double(scale[j]) + Double(shift[j]))
                    }
                }
            }
        }
    }
}
