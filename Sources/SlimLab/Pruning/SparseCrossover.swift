import SlimKernels
import Synchronization

/// The density below which a CSR weight runs faster on the SpMM than dense on the GEMM, for one
/// layer shape, batch size and thread count — measured, not guessed, since it depends on the
/// machine, the kernels and the shape (SciPy's CSR × dense at batch 64 lost to OpenBLAS above
/// ~15 % density on a 2-core AMD EPYC; a small layer may never win).
///
/// Measurements are cached per shape for the session; the result only chooses which product
/// runs, never what is printed in lessons.
public final class SparseCrossover: Sendable {
    /// What one measurement is for.
    public struct Shape: Hashable, Sendable {
        public var rows: Int
        public var columns: Int
        public var batch: Int
        public var threads: Int

        public init(rows: Int, columns: Int, batch: Int, threads: Int) {
            self.rows = rows
            self.columns = columns
            self.batch = batch
            self.threads = threads
        }
    }

    /// One measurement: the dense time, the CSR time at each density tried, and the crossover.
    public struct Measurement: Sendable, Equatable {
        public var shape: Shape
        /// Median seconds of Y = X·Wᵀ + b on the dense GEMM.
        public var denseSeconds: Double
        /// (density, median seconds) on the SpMM, densest last.
        public var sparseSeconds: [Sample]
        /// The density at which the two are equally fast (interpolated); 0 when CSR never wins,
        /// 1 when it wins even fully dense.
        public var crossoverDensity: Double

        public struct Sample: Sendable, Equatable {
            public var density: Double
            public var seconds: Double
        }
    }

    private let cache = Mutex<[Shape: Measurement]>([:])

    public init() {}

    /// The measurement for this shape, measured on first use and cached.
    public func measurement(rows: Int, columns: Int, batch: Int, pool: ComputePool) -> Measurement {
        let shape = Shape(rows: rows, columns: columns, batch: batch, threads: pool.threadCount)
        if let known = cache.withLock({ $0[shape] }) { return known }
        let measured = Self.measure(shape, pool: pool)
        cache.withLock { $0[shape] = measured }
        return measured
    }

    /// The measured crossover density for this shape (cached).
    public func density(rows: Int, columns: Int, batch: Int, pool: ComputePool) -> Double {
        measurement(rows: rows, columns: columns, batch: batch, pool: pool).crossoverDensity
    }

    /// The densities tried, sparsest first. (Above 0.5 CSR is larger than dense, so it is never
    /// stored there; the higher densities only locate the crossover.)
    public static let densities: [Double] = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0]

    /// Times the dense product and the SpMM at rising densities until the SpMM is slower, and
    /// interpolates where the two meet. Weights and inputs are seeded random numbers.
    public static func measure(_ shape: Shape, pool: ComputePool) -> Measurement {
        var generator = SeededGenerator(seed: 0x5EED)
        let (out, inputs, batch) = (shape.rows, shape.columns, max(1, shape.batch))
        let x = Tensor(shape: [batch, inputs], scalars: (0..<(batch * inputs)).map { _ in Float(generator.normal()) })
        let bias = Tensor<Float>.zeros([out])
        let full = Tensor(shape: [out, inputs], scalars: (0..<(out * inputs)).map { _ in Float(generator.normal()) })
        let dense = medianSeconds { _ = x.matmul(full, transposeOther: true, pool: pool).addingBias(bias) }

        var samples: [Measurement.Sample] = []
        var crossover = 0.0
        var previous: Measurement.Sample? = nil
        for density in densities {
            // Keep each entry with probability `density`: the pattern magnitude pruning leaves.
            var mask = Tensor<Float>.zeros([out, inputs])
            mask.withUnsafeMutableBufferPointer { m in
                for i in m.indices where Double(generator.uniform(0, 1)) < density { m[i] = 1 }
            }
            let matrix = CSRMatrix(dense: full, mask: mask)
            let seconds = medianSeconds { _ = matrix.linear(x, bias: bias, pool: pool) }
            let sample = Measurement.Sample(density: density, seconds: seconds)
            samples.append(sample)
            if seconds >= dense {
                if let previous {
                    // Linear interpolation between the last faster and the first slower density.
                    let f = (dense - previous.seconds) / (seconds - previous.seconds)
                    crossover = previous.density + f * (density - previous.density)
                } else {
                    crossover = 0
                }
                return Measurement(shape: shape, denseSeconds: dense, sparseSeconds: samples, crossoverDensity: crossover)
            }
            previous = sample
        }
        return Measurement(shape: shape, denseSeconds: dense, sparseSeconds: samples, crossoverDensity: densities.last!)
    }

    /// The median of 5 timings of `body`, each repeated enough to last about 1 ms.
    public static func medianSeconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        body()
        let once = seconds(clock.measure(body))
        let repeats = max(1, min(100_000, Int(1e-3 / max(once, 1e-9))))
        var timings: [Double] = []
        for _ in 0..<5 {
            let elapsed = clock.measure { for _ in 0..<repeats { body() } }
            timings.append(seconds(elapsed) / Double(repeats))
        }
        return timings.sorted()[2]
    }

    private static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
