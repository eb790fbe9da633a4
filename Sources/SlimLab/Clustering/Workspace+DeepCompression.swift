import SlimKernels

extension Workspace {
    /// Deep Compression (Han, Mao & Dally, ICLR 2016) of variant `source` (current when nil)
    /// into a new variant `name` (by default `SOURCE-deep`); the current model stays as it was:
    /// 1. prune by magnitude (one global threshold), fine-tune with the masks;
    /// 2. share weights by k-means per layer, fine-tune the centroids;
    /// 3. Huffman-code weight indices and relative sparse indices into a file,
    ///    written to `path` (when given) and read back to check its accuracy.
    /// The new variant keeps its indices Huffman-coded, so `compare` counts the tensors the file
    /// holds. `observer` hears the fine-tuning batches. Throws before making anything when the
    /// options are wrong; Ctrl-C during a fine-tuning stops the pipeline and makes no variant.
    @discardableResult
    public func deepCompress(_ source: String? = nil, options: DeepCompressionOptions, name: String? = nil,
                             path: String? = nil,
                             observer: ((TrainingEvent) -> Void)? = nil) throws -> TechniqueOutcome {
        let data = try requireData("compress deep")
        let sourceVariant = try variants.variant(named: source)
        let target = try variants.newName(name, default: "\(sourceVariant.name)-deep")
        try MagnitudePruning.validate(sparsity: options.sparsity)
        guard options.clusters >= 2 && options.clusters <= WeightClustering.maximumClusters else {
            throw ClusteringError.clusterCountOutOfRange(options.clusters)
        }
        var tuning = trainingDefaults
        tuning.learningRate = options.learningRate
        tuning.weightDecay = options.weightDecay
        tuning.batchSize = options.batchSize
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
        let weightCount = weights.reduce(0) { $0 + $1.value.count }
        let other = model.parameterCount - weightCount
        // Sparse fp32: each kept weight (and filler) with its relative index, per gap width.
        var entriesByGap: [Int: Int] = [:]
        for w in weights {
            let bits = SharedWeightEncoding.gapBits(forShape: w.value.shape)
            entriesByGap[bits, default: 0] += RelativeIndexCoding.encode(Self.keptAssignments(w.value), bits: bits, fillerSymbol: 1).symbols.count
        }
        let gaps = entriesByGap.keys.sorted()
        let prunedBytes = (gaps.reduce(0) { $0 + entriesByGap[$1]! * (32 + $1) } + 7) / 8 + other * 4
        let terms = gaps.enumerated().map { "{\($0.offset)}·(32 + \($0.element))" } + ["{\(gaps.count)}·32"]
        stages.append(DeepCompressionStage(
            name: "prune",
            formula: Formula(symbol: "bytes", symbolic: "(entries·(32 + gap bits) + biases·32) / 8",
                             template: "(" + terms.joined(separator: " + ") + ") / 8",
                             values: gaps.map { .integer(entriesByGap[$0]!) } + [.integer(other)], result: .integer(prunedBytes)),
            bytes: prunedBytes, accuracy: prunedAccuracy, tunedAccuracy: try accuracy(model)))

        // 2. Weight sharing, its indices Huffman-coded when stored.
        model = try WeightClustering.cluster(model, k: options.clusters, initialization: options.initialization, seed: seed,
                                             coding: .huffman).model
        let clusteredAccuracy = try accuracy(model)
        try fineTune(&model, epochs: options.clusterEpochs)
        model.releaseTrainingState()

        // 3. Huffman coding, the file, and reading it back.
        let encoding = DeepCompressionFile.encode(model)
        let codebooks = model.codebooks
        var layers: [DeepCompressionLayer] = []
        for record in encoding.tensors where record.isShared {
            let entries = record.kept + record.fillers
            let shape = try model.parameter(named: record.name).value.shape
            var fixed = codebooks[record.name]!
            fixed.coding = .fixed
            let quantized = SharedWeightEncoding(fixed, shape: shape, coding: .fixed, relative: true)
            layers.append(DeepCompressionLayer(
                name: record.name, count: record.count, kept: record.kept, fillers: record.fillers,
                clusters: record.clusters, weightBits: quantized.fixedSymbolBits,
                huffmanWeightBits: Double(record.weightCodeBits) / Double(max(1, entries)),
                indexBits: record.gapBits, huffmanIndexBits: Double(record.gapCodeBits) / Double(max(1, entries)),
                quantizedBytes: quantized.byteCount, fileBytes: record.bytes))
        }
        let otherBytes = encoding.bytes.count - layers.reduce(0) { $0 + $1.fileBytes }
        let sharedBytes = layers.reduce(0) { $0 + $1.quantizedBytes }
        stages.append(DeepCompressionStage(
            name: "share",
            formula: Formula(symbol: "bytes", symbolic: "Σ_layers (entries·(⌈log₂(k+1)⌉ + gap bits) / 8 + k·4) + biases·4",
                             template: "{0} + {1}·4", values: [.integer(sharedBytes), .integer(other)],
                             result: .integer(sharedBytes + other * 4)),
            bytes: sharedBytes + other * 4, accuracy: clusteredAccuracy, tunedAccuracy: try accuracy(model)))
        let streams = encoding.tensors.reduce(0) { $0 + ($1.isShared ? ($1.weightCodeBits + 7) / 8 + ($1.gapCodeBits + 7) / 8 : 0) }
        let tables = encoding.tensors.reduce(0) { $0 + $1.tableBytes }
        let books = encoding.tensors.reduce(0) { $0 + $1.codebookBytes }
        let rest = encoding.bytes.count - streams - tables - books - other * 4
        stages.append(DeepCompressionStage(
            name: "huffman",
            formula: Formula(symbol: "bytes", symbolic: "coded indices and gaps + code tables + codebooks + biases + header and names",
                             template: "{0} + {1} + {2} + {3}·4 + {4}",
                             values: [.integer(streams), .integer(tables), .integer(books), .integer(other), .integer(rest)],
                             result: .integer(encoding.bytes.count)),
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

        let stored = try SparseStorage.apply(to: model, crossover: sparseCrossover, batch: Comparison.batchSize, pool: pool).model
        let variant = try variants.addDerived(
            from: sourceVariant, name: target, model: stored,
            origin: "deep compression of \(sourceVariant.name): pruned to \(Int((options.sparsity * 100).rounded())) %, \(options.clusters) shared weights, Huffman-coded")
        let report = DeepCompressionReport(
            source: sourceVariant.name, variant: target, options: options, stages: stages, layers: layers,
            baselineBytes: baselineBytes, baselineAccuracy: baselineAccuracy, path: path,
            fileBytes: encoding.bytes.count, sizeOnDisk: sizeOnDisk, otherBytes: otherBytes,
            reloadedAccuracy: reloadedAccuracy, variantBytes: stored.storedByteCount)
        // The summary counts what the variant keeps, as 'compare' does; the steps give the file's bytes
        // beside it, and the accuracy is the one the file reads back at.
        let summary = TechniqueSummary(source: sourceVariant.name, variant: variant.name, sourceBytes: baselineBytes,
                                       variantBytes: report.variantBytes, accuracyBefore: baselineAccuracy,
                                       accuracyAfter: reloadedAccuracy, testSetName: test.name, threads: pool.threadCount)
        return keep(TechniqueOutcome(title: report.title, steps: report.steps, summary: summary, made: Phrase(target),
                                record: .deepCompression(report)))
    }

    /// 0 where a weight is kept (non-zero), −1 where it is zero: the positions to index.
    static func keptAssignments(_ weight: Tensor<Float>) -> [Int32] {
        weight.withUnsafeBufferPointer { w in w.map { $0 != 0 ? 0 : -1 } }
    }
}
