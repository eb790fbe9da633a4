import SlimKernels

/// One sample as `data show I` presents it, as values: SlimREPL draws it.
public struct DatasetSample: Sendable, Equatable {
    /// The sample's index within its part.
    public var index: Int
    public var part: DatasetPart
    public var label: Int
    public var className: String
    public var featureNames: [String]
    /// The features as loaded (a digit's pixels 0–16).
    public var values: [Float]
    /// The features after normalization, as the network sees them.
    public var normalizedValues: [Float]
    public var sampleShape: [Int]
    /// For single-channel images (sample shape `[1, h, w]`): `h` rows of `w` values as loaded,
    /// for drawing; `nil` for other samples.
    public var pixelRows: [[Float]]?
    /// The smallest and largest value as loaded over the whole split, so that a drawing shades
    /// every sample on the same scale (0…16 for digits).
    public var valueRange: ClosedRange<Float>
}

extension DatasetSplit {
    /// The training or test part.
    public func dataset(_ part: DatasetPart) -> Dataset {
        part == .train ? train : test
    }

    /// Sample `index` of a part (the test part unless told otherwise, the one `eval` measures).
    /// - Throws: ``DatasetError/sampleOutOfRange(index:part:count:)``.
    public func sample(_ index: Int, in part: DatasetPart = .test) throws -> DatasetSample {
        let data = dataset(part)
        guard index >= 0 && index < data.count else {
            throw DatasetError.sampleOutOfRange(index: index, part: part.rawValue, count: data.count)
        }
        let raw = part == .train ? rawTrainFeatures : rawTestFeatures
        let width = data.featureCount
        let values = raw.withUnsafeBufferPointer { Array($0[index * width ..< (index + 1) * width]) }
        var pixelRows: [[Float]]? = nil
        if data.sampleShape.count == 3 && data.sampleShape[0] == 1 {
            let columns = data.sampleShape[2]
            pixelRows = (0..<data.sampleShape[1]).map { Array(values[$0 * columns ..< ($0 + 1) * columns]) }
        }
        var low = Float.infinity, high = -Float.infinity
        for part in [rawTrainFeatures, rawTestFeatures] {
            part.withUnsafeBufferPointer { x in
                for value in x {
                    low = min(low, value)
                    high = max(high, value)
                }
            }
        }
        let label = data.labels[index]
        return DatasetSample(index: index, part: part, label: label, className: data.classNames[label],
                             featureNames: data.featureNames, values: values,
                             normalizedValues: data.row(index), sampleShape: data.sampleShape,
                             pixelRows: pixelRows, valueRange: low...high)
    }
}
