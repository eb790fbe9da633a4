#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SlimKernels

/// Two-dimensional toy datasets drawn from a seed: small enough to train in a second, shaped so
/// that a linear model fails and a hidden layer succeeds, which is the point of showing them.
///
/// ```swift
/// let spirals = try DatasetGenerator.spirals.generate(count: 600, noise: 0.2, seed: 1)
/// spirals.features.shape   // [600, 2]
/// spirals.classNames       // ["0", "1", "2"]
/// ```
/// The same parameters and seed always give the same samples, bit for bit.
public enum DatasetGenerator: String, CaseIterable, Sendable {
    /// Interleaved spiral arms, one per class (as in Stanford's CS231n notes): radius grows from
    /// 0 to 1 while the angle turns 4 radians; `noise` is the standard deviation of a Gaussian
    /// jitter of the angle, in radians.
    case spirals
    /// Two interleaving half circles of radius 1 (as scikit-learn's `make_moons`); `noise` is
    /// the standard deviation of Gaussian noise added to each coordinate.
    case moons
    /// Gaussian clusters whose centers sit evenly on a circle of radius 3; `noise` is each
    /// cluster's standard deviation.
    case blobs
    /// Points uniform in the square [−1, 1]², class 1 where x and y have different signs (the
    /// exclusive or of the signs); `noise` is the standard deviation of Gaussian noise added to
    /// each coordinate after labeling, so it blurs the quadrant borders.
    case xor

    /// The sample count when none is given.
    public static let defaultCount = 600
    /// The largest sample count accepted.
    public static let countLimit = 1_000_000

    /// The noise when none is given (see each case for what it measures).
    public var defaultNoise: Double {
        switch self {
        case .spirals: return 0.2
        case .moons: return 0.1
        case .blobs: return 1.0
        case .xor: return 0.1
        }
    }

    /// The class counts this generator can make; the first is the default.
    public var classChoices: [Int] {
        switch self {
        case .spirals, .blobs: return [3] + Array(2...10).filter { $0 != 3 }
        case .moons, .xor: return [2]
        }
    }

    /// Draws a dataset.
    /// - Parameters:
    ///   - count: samples in all, spread as evenly as possible over the classes (default 600).
    ///   - noise: see each case; `nil` means ``defaultNoise``.
    ///   - classes: for spirals and blobs, 2…10 (default 3); moons and xor have 2.
    ///   - seed: the whole dataset is a function of it.
    /// - Throws: ``DatasetError/badParameter(name:value:allowed:)`` for a value out of range.
    public func generate(count: Int? = nil, noise: Double? = nil, classes: Int? = nil,
                         seed: UInt64 = 0) throws -> Dataset {
        let classCount = classes ?? classChoices[0]
        guard classChoices.contains(classCount) else {
            throw DatasetError.badParameter(
                name: "classes", value: String(classCount),
                allowed: classChoices.count == 1
                    ? "\(rawValue) has exactly \(classChoices[0]) classes"
                    : "\(rawValue) takes 2 to 10 classes")
        }
        let count = count ?? Self.defaultCount
        guard count >= 2 * classCount && count <= Self.countLimit else {
            throw DatasetError.badParameter(name: "n", value: String(count),
                                            allowed: "\(rawValue) needs \(2 * classCount) to \(Self.countLimit) samples")
        }
        let noise = noise ?? defaultNoise
        guard noise.isFinite && noise >= 0 && noise <= 10 else {
            throw DatasetError.badParameter(name: "noise", value: "\(noise)", allowed: "noise must be from 0 to 10")
        }

        var generator = SeededGenerator(seed: seed)
        var points: [(x: Double, y: Double, label: Int)] = []
        points.reserveCapacity(count)
        switch self {
        case .spirals:
            for (label, size) in Self.classSizes(count, classCount).enumerated() {
                for j in 0..<size {
                    let t = size > 1 ? Double(j) / Double(size - 1) : 0
                    let angle = 2 * Double.pi * Double(label) / Double(classCount) + 4 * t
                        + noise * generator.normal()
                    points.append((t * sin(angle), t * cos(angle), label))
                }
            }
        case .moons:
            let sizes = [count / 2, count - count / 2]
            for (label, size) in sizes.enumerated() {
                for j in 0..<size {
                    let angle = size > 1 ? Double.pi * Double(j) / Double(size - 1) : 0
                    let (x, y) = label == 0 ? (cos(angle), sin(angle)) : (1 - cos(angle), 0.5 - sin(angle))
                    points.append((x + noise * generator.normal(), y + noise * generator.normal(), label))
                }
            }
        case .blobs:
            for (label, size) in Self.classSizes(count, classCount).enumerated() {
                let angle = 2 * Double.pi * Double(label) / Double(classCount)
                let (cx, cy) = (3 * cos(angle), 3 * sin(angle))
                for _ in 0..<size {
                    points.append((cx + noise * generator.normal(), cy + noise * generator.normal(), label))
                }
            }
        case .xor:
            for i in 0..<count {
                let label = i % 2
                let xSign: Double = generator.nextInt(below: 2) == 0 ? 1 : -1
                let ySign = label == 0 ? xSign : -xSign
                let x = xSign * generator.nextUnitDouble(), y = ySign * generator.nextUnitDouble()
                points.append((x + noise * generator.normal(), y + noise * generator.normal(), label))
            }
        }
        generator.shuffle(&points)

        var features = [Float]()
        features.reserveCapacity(2 * count)
        for point in points { features += [Float(point.x), Float(point.y)] }
        return Dataset(name: rawValue, features: Tensor(shape: [count, 2], scalars: features),
                       labels: points.map(\.label), sampleShape: [2], featureNames: ["x", "y"],
                       classNames: (0..<classCount).map(String.init))
    }

    /// `count` split over `classes` as evenly as possible, the first classes taking the remainder.
    static func classSizes(_ count: Int, _ classes: Int) -> [Int] {
        (0..<classes).map { count / classes + ($0 < count % classes ? 1 : 0) }
    }
}
