import SlimKernels
import SlimLab

/// A pruned Dense layer as SlimLab runs it: 1024→1024 at 90 % sparsity, batch 64, the four
/// ways `bench` shows (dense with its zeros, dense with the mask applied, CSR on the SpMM, and
/// shrunk to as many whole rows as the kept weights fill), and the measured crossover density
/// below which the CSR layer beats the dense one.
struct PruningBenchmarks: BenchmarkGroup {
    let name = "pruning"
    let title = "Pruned Dense layer  Y = X·Wᵀ + b  (W 1024×1024 at 90 % sparsity, X 64×1024)"

    func cases(_ context: BenchmarkContext) -> [BenchmarkCase] {
        let (size, batch, sparsity) = (1024, 64, 0.9)
        let operations = 2 * Double(size * size * batch)
        var result: [BenchmarkCase] = []
        for threads in context.threadCounts {
            let denseLabel = "Dense layer, dense fp32"
            result.append(BenchmarkCase(
                name: "dense_layer_f32", label: denseLabel, shape: [batch, size, size], threads: threads,
                sparsity: sparsity, operations: operations
            ) {
                let (layer, x) = prunedLayer(size: size, batch: batch, sparsity: sparsity)
                let pool = context.pool(threads)
                return { blackHole(layer.forward(x, pool: pool)) }
            })
            var masked = BenchmarkCase(
                name: "dense_layer_masked_f32", label: "Dense layer, mask applied", shape: [batch, size, size],
                threads: threads, sparsity: sparsity, operations: operations
            ) {
                let (layer, x) = prunedLayer(size: size, batch: batch, sparsity: sparsity)
                let mask = layer.parameters[0].mask!
                let pool = context.pool(threads)
                return {
                    let w = MagnitudePruning.apply(mask, to: layer.weight)
                    blackHole(x.matmul(w, transposeOther: true, pool: pool).addingBias(layer.bias))
                }
            }
            masked.baseline = denseLabel
            result.append(masked)
            var csr = BenchmarkCase(
                name: "csr_layer_f32", label: "Dense layer, CSR (SpMM)", shape: [batch, size, size],
                threads: threads, sparsity: sparsity, operations: operations * (1 - sparsity)
            ) {
                var (layer, x) = prunedLayer(size: size, batch: batch, sparsity: sparsity)
                layer.inferenceKernel = CSRDenseKernel(weightName: "fc.weight", weight: layer.weight,
                                                       mask: layer.parameters[0].mask, runsSparse: true)
                let pool = context.pool(threads)
                return { blackHole(layer.forward(x, pool: pool)) }
            }
            csr.baseline = denseLabel
            result.append(csr)
            var shrunk = BenchmarkCase(
                name: "shrunk_layer_f32", label: "Dense layer, shrunk to 10 % rows", shape: [batch, size / 10, size],
                threads: threads, sparsity: 0, operations: operations / 10
            ) {
                var g = SeededGenerator(seed: 11)
                let rows = Int((Double(size) * (1 - sparsity)).rounded())
                let layer = Dense(name: "fc", inputFeatures: size, outputFeatures: rows, generator: &g)
                let x = Tensor(shape: [batch, size], scalars: benchmarkFloats(batch * size, seed: 2))
                let pool = context.pool(threads)
                return { blackHole(layer.forward(x, pool: pool)) }
            }
            shrunk.baseline = denseLabel
            result.append(shrunk)

            // The crossover: measured by SparseCrossover, then timed at that density, where the
            // CSR layer should run about as fast as the dense one (speed-up ≈ 1×).
            let found = CrossoverBox()
            var crossover = BenchmarkCase(
                name: "csr_layer_crossover_f32", label: "Dense layer, CSR at crossover", shape: [batch, size, size],
                threads: threads, operations: 0
            ) {
                let pool = context.pool(threads)
                let measured = SparseCrossover.measure(
                    SparseCrossover.Shape(rows: size, columns: size, batch: batch, threads: threads), pool: pool)
                found.measurement = measured
                var (layer, x) = prunedLayer(size: size, batch: batch, sparsity: 1 - max(measured.crossoverDensity, 0.001))
                layer.inferenceKernel = CSRDenseKernel(weightName: "fc.weight", weight: layer.weight,
                                                       mask: layer.parameters[0].mask, runsSparse: true)
                return { blackHole(layer.forward(x, pool: pool)) }
            }
            crossover.baseline = denseLabel
            crossover.note = {
                guard let m = found.measurement else { return nil }
                if m.crossoverDensity >= 1 {
                    return String(format: "CSR was faster than dense at every density tried, up to fully dense (dense %.3f ms)", m.denseSeconds * 1e3)
                }
                let tried = m.sparseSeconds.map { String(format: "%.0f%% %.3f ms", $0.density * 100, $0.seconds * 1e3) }
                return String(format: "measured crossover density %.3f (CSR faster below %.1f %% density, i.e. above %.1f %% sparsity); dense %.3f ms; CSR at ",
                              m.crossoverDensity, m.crossoverDensity * 100, (1 - m.crossoverDensity) * 100, m.denseSeconds * 1e3)
                    + tried.joined(separator: ", ")
            }
            result.append(crossover)
        }
        return result
    }
}

/// Where the crossover case leaves its measurement for its note.
private final class CrossoverBox: @unchecked Sendable {
    var measurement: SparseCrossover.Measurement?
}

/// A `size`→`size` Dense layer magnitude-pruned to `sparsity` (mask set), and a seeded batch.
private func prunedLayer(size: Int, batch: Int, sparsity: Double) -> (Dense, Tensor<Float>) {
    var g = SeededGenerator(seed: 11)
    var layer = Dense(name: "fc", inputFeatures: size, outputFeatures: size, generator: &g)
    let weight = NamedTensor(name: "fc.weight", value: layer.weight)
    let mask = try! MagnitudePruning.masks(for: [weight], sparsity: sparsity, scope: .layer).masks[0].value
    layer.parameters[0].mask = mask
    layer.parameters[0].applyMask()
    let x = Tensor(shape: [batch, size], scalars: benchmarkFloats(batch * size, seed: 2))
    return (layer, x)
}
