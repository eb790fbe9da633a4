import SlimKernels

extension Workspace {
    /// Deep Compression (Han, Mao & Dally, ICLR 2016) of variant `source` (current when nil)
    /// into a new variant `name` (by default `SOURCE-deep`); the current model stays as it was:
    /// 1. prune by magnitude (one global threshold), fine-tune with the masks;
    /// 2. share weights by k-means per layer, fine-tune the centroids;
    /// 3. Huffman-code weight indices and relative sparse indices into a file,
    ///    written to `path` (when given) and read back to check its accuracy.
    /// `observer` hears the fine-tuning batches. Throws before making anything when the options
    /// are wrong; Ctrl-C during a fine-tuning stops the pipeline and makes no variant.
    @discardableResult
    public func deepCompress(_ source: String? = nil, options: DeepCompressionOptions, name: String? = nil,
                             path: String? = nil,
                             observer: ((TrainingEvent) -> Void)? = nil) throws -> DeepCompressionReport {
        let data = try requireData("compress deep")
        let sourceVariant = try variants.variant(named: source)
        let target = try variants.newName(name, default: "\(sourceVariant.name)-deep")
        try MagnitudePruning.validate(sparsity: options.sparsity)
        guard options.clusters >= 2 && options.clusters <= WeightClustering.maximumClusters else {
            throw ClusteringError.clusterCountOutOfRange(options.clusters)
        }
        var tuning = trainingDefaults
        tuning.learningRate = options.learningRate
        try tuning.validate()
        let test = data.test
        func accuracy(_ model: Model) throws -> Double? { test.count > 0 ? try model.accuracy(on: test, pool: pool) : nil }
        func fineTune(_ model: inout Model, epochs: Int) throws {
            guard epochs > 0 else { return }
            tuning.epochs = epochs
            let run = try Trainer.train(&model, on: data, options: tuning, pool: pool, stop: stop, observer: observer)
            if run.stopped { throw PruningWorkspaceError.stopped }
        }

        try checkTrainingWork(sourceVariant.model, rows: data.train.count, evaluationRows: data.test.count,
                              epochs: ResourceBudget.sum([options.pruneEpochs, options.clusterEpochs]) ?? Int.max,
                              what: "compress deep")
        var model = sourceVariant.model
        model.inferenceEngine = nil
        model.codebooks = [:]
        let baselineBytes = model.parameterCount * 4
        let baselineAccuracy = try accuracy(model)
        var stages: [DeepCompressionStage] = []

        // 1. Pruning.
        model = try MagnitudePruning.prune(model: model, sparsity: options.sparsity, scope: .global).model
        let prunedAccuracy = try accuracy(model)
        try fineTune(&model, epochs: options.pruneEpochs)
        let weights = model.prunableWeights
        let kept = weights.reduce(0) { $0 + $1.value.withUnsafeBufferPointer { $0.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } } }
        let weightCount = weights.reduce(0) { $0 + $1.value.count }
        let other = model.parameterCount - weightCount
        // Sparse fp32: each kept weight (and filler) with its relative index.
        var prunedBits = 0, entryCount = 0
        var gapWidths = Set<Int>()
        for w in weights {
            let bits = DeepCompressionFile.gapBits(forShape: w.value.shape)
            let entries = RelativeIndexCoding.encode(Self.keptAssignments(w.value), bits: bits, fillerSymbol: 1)
            prunedBits += entries.symbols.count * (32 + bits)
            entryCount += entries.symbols.count
            gapWidths.insert(bits)
        }
        let prunedBytes = (prunedBits + 7) / 8 + other * 4
        let gapText = gapWidths.count == 1 ? String(gapWidths.first!) : "gap"
        stages.append(DeepCompressionStage(
            name: "prune",
            formula: "(\(grouped(entryCount)) entries × (32 + \(gapText)) bits + \(other) biases × 32 bits) / 8  [\(grouped(kept)) kept weights + \(grouped(entryCount - kept)) fillers]",
            bytes: prunedBytes, accuracy: prunedAccuracy, tunedAccuracy: try accuracy(model)))

        // 2. Weight sharing.
        model = try WeightClustering.cluster(model, k: options.clusters, initialization: options.initialization, seed: seed).model
        let clusteredAccuracy = try accuracy(model)
        try fineTune(&model, epochs: options.clusterEpochs)
        model.releaseTrainingState()

        // 3. Huffman coding, the file, and reading it back.
        let encoding = DeepCompressionFile.encode(model)
        var layers: [DeepCompressionLayer] = []
        for record in encoding.tensors where record.isShared {
            let entries = record.kept + record.fillers
            let weightBits = WeightClustering.indexBits(record.clusters + (record.fillers > 0 ? 1 : 0))
            let quantizedBits = entries * (weightBits + record.gapBits) + 32 * record.clusters
            layers.append(DeepCompressionLayer(
                name: record.name, count: record.count, kept: record.kept, fillers: record.fillers,
                clusters: record.clusters, weightBits: weightBits,
                huffmanWeightBits: Double(record.weightCodeBits) / Double(max(1, entries)),
                indexBits: record.gapBits, huffmanIndexBits: Double(record.gapCodeBits) / Double(max(1, entries)),
                quantizedBytes: (quantizedBits + 7) / 8, fileBytes: record.bytes))
        }
        let otherBytes = encoding.bytes.count - layers.reduce(0) { $0 + $1.fileBytes }
        let quantizedBytes = layers.reduce(0) { $0 + $1.quantizedBytes } + other * 4
        stages.append(DeepCompressionStage(
            name: "share", formula: "entries × (⌈log₂(k+1)⌉ + gap bits) + k·32 per layer + \(other) fp32 biases",
            bytes: quantizedBytes, accuracy: clusteredAccuracy, tunedAccuracy: try accuracy(model)))
        stages.append(DeepCompressionStage(
            name: "huffman", formula: "Huffman-coded weights and gaps + code tables + codebooks + biases + header",
            bytes: encoding.bytes.count, accuracy: try accuracy(model), tunedAccuracy: nil))

        var sizeOnDisk: Int?
        let reloaded: Model
        if let path {
            try DeepCompressionFile.write(encoding, to: path)
            let written = try DeepCompressionFile.readBytes(path)
            sizeOnDisk = written.count
            reloaded = try DeepCompressionFile.decode(written)
        } else {
            reloaded = try DeepCompressionFile.decode(encoding.bytes)
        }
        let reloadedAccuracy = try accuracy(reloaded)

        var stored = model
        stored = try SparseStorage.apply(to: stored, crossover: sparseCrossover, batch: Comparison.batchSize, pool: pool).model
        var variant = sourceVariant
        variant.name = target
        variant.model = stored
        variant.origin = "deep compression of \(sourceVariant.name): pruned to \(Int((options.sparsity * 100).rounded())) %, \(options.clusters) shared weights, Huffman-coded"
        variant.parent = sourceVariant.name
        try variants.add(variant, makeCurrent: false)
        return DeepCompressionReport(
            source: sourceVariant.name, variant: target, options: options, stages: stages, layers: layers,
            baselineBytes: baselineBytes, baselineAccuracy: baselineAccuracy, path: path,
            fileBytes: encoding.bytes.count, sizeOnDisk: sizeOnDisk, otherBytes: otherBytes,
            reloadedAccuracy: reloadedAccuracy)
    }

    private func grouped(_ n: Int) -> String {
        var digits = String(n), result = ""
        while digits.count > 3 { result = "," + digits.suffix(3) + result; digits.removeLast(3) }
        return digits + result
    }

    /// 0 where a weight is kept (non-zero), −1 where it is zero: the positions to index.
    static func keptAssignments(_ weight: Tensor<Float>) -> [Int32] {
        weight.withUnsafeBufferPointer { w in w.map { $0 != 0 ? 0 : -1 } }
    }
}
