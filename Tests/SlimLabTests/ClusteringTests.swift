import XCTest
import SlimKernels
@testable import SlimLab

/// 1-D k-means, weight sharing on a model, and centroid fine-tuning.
final class ClusteringTests: XCTestCase {
    /// Lloyd's algorithm done the slow way: n·k distances per iteration.
    private func referenceKMeans(_ values: [Float], start: [Float], iterations: Int) -> [Float] {
        var centroids = start
        for _ in 0..<iterations {
            var sums = [Double](repeating: 0, count: centroids.count), counts = [Int](repeating: 0, count: centroids.count)
            for x in values {
                let k = KMeans1D.nearest(x, in: centroids)
                sums[k] += Double(x)
                counts[k] += 1
            }
            for k in centroids.indices where counts[k] > 0 { centroids[k] = Float(sums[k] / Double(counts[k])) }
            centroids.sort()
        }
        return centroids
    }

    func testKMeansMatchesTheNaiveLloydAndConverges() {
        var generator = SeededGenerator(seed: 5)
        for (n, k) in [(1, 2), (7, 3), (100, 4), (997, 16), (2000, 32)] {
            let values = (0..<n).map { _ in Float(generator.normal()) * 0.1 }
            let result = KMeans1D.cluster(values, k: k, initialization: .linear)
            let reference = referenceKMeans(values, start: result.initialCentroids, iterations: result.iterations)
            XCTAssertEqual(result.centroids.count, k)
            for (a, b) in zip(result.centroids, reference) { XCTAssertEqual(a, b, accuracy: 1e-6, "n=\(n) k=\(k)") }
            // Every value sits at its nearest centroid.
            for (x, a) in zip(values, result.assignments) {
                XCTAssertEqual(abs(x - result.centroids[Int(a)]), abs(x - result.centroids[KMeans1D.nearest(x, in: result.centroids)]),
                               accuracy: 1e-7)
            }
            XCTAssertTrue(result.converged)
        }
    }

    func testInitializationsStartWhereTheyShould() {
        let values = (0..<101).map { Float($0) / 100 }   // 0, 0.01, …, 1
        XCTAssertEqual(KMeans1D.initialCentroids(sorted: values, k: 5, initialization: .linear, seed: 0), [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(KMeans1D.initialCentroids(sorted: values, k: 4, initialization: .density, seed: 0), [0.12, 0.37, 0.63, 0.88])
        let random = KMeans1D.initialCentroids(sorted: values, k: 6, initialization: .random, seed: 3)
        XCTAssertEqual(Set(random).count, 6)
        XCTAssertEqual(random, KMeans1D.initialCentroids(sorted: values, k: 6, initialization: .random, seed: 3))
        XCTAssertNotEqual(random, KMeans1D.initialCentroids(sorted: values, k: 6, initialization: .random, seed: 4))
        let plusPlus = KMeans1D.initialCentroids(sorted: values, k: 6, initialization: .kmeansPlusPlus, seed: 3)
        XCTAssertEqual(Set(plusPlus).count, 6)
        XCTAssertTrue(plusPlus.allSatisfy { values.contains($0) })
        // Two clear groups: every start finds them.
        let groups: [Float] = [-1, -1.1, -0.9, 1, 1.1, 0.9]
        for initialization in CentroidInitialization.allCases {
            let result = KMeans1D.cluster(groups, k: 2, initialization: initialization, seed: 1)
            XCTAssertEqual(result.centroids[0], -1, accuracy: 1e-6, "\(initialization)")
            XCTAssertEqual(result.centroids[1], 1, accuracy: 1e-6, "\(initialization)")
        }
    }

    private func model(seed: UInt64 = 0) throws -> Model {
        var generator = SeededGenerator(seed: seed)
        return try ModelArchitecture.mlp("64-32-10").makeModel(generator: &generator)
    }

    func testClusteringLeavesAtMostKValuesAndKeepsPrunedZeros() throws {
        let source = try model()
        let pruned = try MagnitudePruning.prune(model: source, sparsity: 0.5, scope: .layer).model
        let (clustered, layers, picture, example) = try WeightClustering.cluster(pruned, k: 8, initialization: .linear)
        XCTAssertEqual(layers.map(\.name), ["fc1.weight", "fc2.weight"])
        for layer in layers {
            let weight = try clustered.parameter(named: layer.name)
            let before = try pruned.parameter(named: layer.name)
            let kept = Set(weight.value.scalars.enumerated().filter { before.mask![flat: $0.offset] != 0 }.map(\.element))
            XCTAssertLessThanOrEqual(kept.count, 8)
            XCTAssertEqual(layer.uniqueValues, kept.count)
            XCTAssertEqual(layer.clustered, before.count / 2)
            for i in 0..<weight.count where before.mask![flat: i] == 0 { XCTAssertEqual(weight.value[flat: i], 0) }
            let codebook = try XCTUnwrap(clustered.codebooks[layer.name])
            XCTAssertEqual(codebook.values(shape: weight.value.shape), weight.value)
            XCTAssertEqual(codebook.sharedCount, layer.clustered)
            XCTAssertEqual(layer.indexBits, 3)
            // r = n·32 / (n·3 + 8·32)
            XCTAssertEqual(layer.compressionRate, Double(layer.count * 32) / Double(layer.count * 3 + 256), accuracy: 1e-12)
        }
        XCTAssertEqual(picture.counts.reduce(0, +), layers[0].clustered)
        XCTAssertEqual(example.parameter, "fc1.weight")
        XCTAssertEqual(example.assigned, example.candidates[0].index)
        XCTAssertEqual(Array(clustered.codebooks["fc1.weight"]!.assignments)[example.index], Int32(example.assigned))
        // The source is untouched; the same call gives the same bits.
        XCTAssertTrue(source.codebooks.isEmpty)
        XCTAssertEqual(try WeightClustering.cluster(pruned, k: 8, initialization: .linear).model.parameter(named: "fc1.weight").value,
                       try clustered.parameter(named: "fc1.weight").value)
        XCTAssertThrowsError(try WeightClustering.cluster(pruned, k: 1, initialization: .linear)) {
            XCTAssertEqual($0 as? ClusteringError, .clusterCountOutOfRange(1))
        }
        XCTAssertThrowsError(try WeightClustering.cluster(pruned, k: 4, initialization: .linear, layers: ["fc9"]))
    }

    func testGroupedGradientsSumTheMembers() {
        let codebook = WeightCodebook(parameter: "w", centroids: [-1, 0.5, 2], assignments: [0, 2, -1, 1, 0, 2])
        let gradient = Tensor<Float>(shape: [2, 3], scalars: [0.1, 0.2, 9, 0.3, 0.4, 0.5])
        let sums = SharedWeightTraining.centroidGradients(codebook, gradient: gradient)
        XCTAssertEqual(sums[0], 0.5, accuracy: 1e-6)   // entries 0 and 4
        XCTAssertEqual(sums[1], 0.3, accuracy: 1e-6)   // entry 3
        XCTAssertEqual(sums[2], 0.7, accuracy: 1e-6)   // entries 1 and 5; the pruned entry 2 adds nothing
    }

    func testFinetuningAClusteredVariantTrainsCentroidsAndKeepsAssignments() throws {
        let workspace = Workspace(threads: 1, seed: 0)
        workspace.data = try DatasetCatalog.standard().load("digits").split(testFraction: 0.25, seed: 0)
        try workspace.newModel("mlp 64-32-10", name: "baseline")
        var options = workspace.trainingDefaults
        options.epochs = 3
        try workspace.train("baseline", data: workspace.data!, options: options)
        try workspace.pruneMagnitude("baseline", options: MagnitudePruningOptions(sparsity: 0.5), name: "p50")
        let report = try XCTUnwrap(workspace.cluster("p50", options: ClusteringOptions(clusters: 4), name: "k4").clustering)
        XCTAssertTrue(report.uniqueValuesHold)
        XCTAssertEqual(report.variant, "k4")
        let before = try workspace.variants.variant(named: "k4").model
        _ = try workspace.finetune("k4", options: FinetuneOptions(epochs: 2, learningRate: 0.001), as: "k4ft")
        let after = try workspace.variants.variant(named: "k4ft").model
        for name in ["fc1.weight", "fc2.weight"] {
            let a = try XCTUnwrap(before.codebooks[name]), b = try XCTUnwrap(after.codebooks[name])
            XCTAssertEqual(a.assignments, b.assignments, name)
            XCTAssertNotEqual(a.centroids, b.centroids, "\(name): the centroids did not learn")
            let weight = try after.parameter(named: name).value
            XCTAssertEqual(b.values(shape: weight.shape), weight)
            XCTAssertLessThanOrEqual(Set(weight.scalars.filter { $0 != 0 }).count, 4)
        }
        // Biases are trained as usual.
        XCTAssertNotEqual(try before.parameter(named: "fc1.bias").value, try after.parameter(named: "fc1.bias").value)
    }
}
