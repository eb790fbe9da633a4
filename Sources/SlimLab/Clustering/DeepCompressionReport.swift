/// What `compress deep` was asked to do. The defaults were chosen on LeNet-300-100 trained on
/// Fashion-MNIST (`train epochs=20 lr=0.001 batch=64 wd=0.0005`, seed 0): 92 % pruned with 8
/// epochs of masked fine-tuning and 2 of centroid fine-tuning, in batches of 64 with a light
/// weight decay, kept the loss near half a point at 38× smaller (README.md lists the runs).
public struct DeepCompressionOptions: Sendable, Equatable {
    /// The fraction of weights pruned, one magnitude threshold over all layers (the paper keeps 8 %).
    public var sparsity: Double = 0.92
    /// Epochs of fine-tuning with the masks after pruning.
    public var pruneEpochs: Int = 8
    /// k, the shared values per layer.
    public var clusters: Int = 32
    public var initialization: CentroidInitialization = .linear
    /// Epochs of centroid fine-tuning after clustering.
    public var clusterEpochs: Int = 2
    /// The learning rate of both fine-tunings.
    public var learningRate: Float = 0.0005
    /// The L2 weight decay and the batch of both fine-tunings.
    public var weightDecay: Float = 0.0005
    public var batchSize: Int = 64

    public init() {}
}

/// One stage of the pipeline: the model's accuracy and size after it.
public struct DeepCompressionStage: Sendable, Equatable {
    public var name: String
    /// The formula of the stage's size, with its numbers.
    public var formula: Formula
    public var bytes: Int
    public var accuracy: Double?
    /// Accuracy after the stage's fine-tuning, if it had one.
    public var tunedAccuracy: Double?
}

/// One weight tensor's row of the paper's table (Deep Compression, Table 2).
public struct DeepCompressionLayer: Sendable, Equatable {
    public var name: String
    /// n.
    public var count: Int
    /// Kept weights (without fillers).
    public var kept: Int
    public var fillers: Int
    public var clusters: Int
    /// Fixed-length bits per stored weight: ⌈log₂(k + 1)⌉ with fillers (one more symbol), else ⌈log₂ k⌉.
    public var weightBits: Int
    /// Mean Huffman-coded bits per stored weight.
    public var huffmanWeightBits: Double
    /// Gap bits per entry, fixed length.
    public var indexBits: Int
    /// Mean Huffman-coded bits per gap.
    public var huffmanIndexBits: Double
    /// Bytes of the layer's weight at P+Q (fixed-length weights and gaps + codebook).
    public var quantizedBytes: Int
    /// Bytes of the layer's weight record in the file (P+Q+H, with its tables).
    public var fileBytes: Int

    /// Entries stored: kept weights and fillers.
    public var entries: Int { kept + fillers }
    /// Kept weights as a share of n (P).
    public var keptFraction: Double { Double(kept) / Double(count) }
    /// Bytes at P+Q over n fp32 bytes.
    public var quantizedRate: Double { Double(quantizedBytes) / Double(4 * count) }
    /// Bytes in the file over n fp32 bytes.
    public var fileRate: Double { Double(fileBytes) / Double(4 * count) }
}

/// Everything `compress deep` did: the stages, the per-layer table, and the file.
public struct DeepCompressionReport: Sendable, Equatable {
    public var source: String
    public var variant: String
    public var options: DeepCompressionOptions
    public var stages: [DeepCompressionStage]
    public var layers: [DeepCompressionLayer]
    /// The source's fp32 bytes (every parameter × 4).
    public var baselineBytes: Int
    public var baselineAccuracy: Double?
    /// The file: where, its bytes as encoded, and its size on disk after writing.
    public var path: String?
    public var fileBytes: Int
    public var sizeOnDisk: Int?
    /// The biases and other tensors kept in fp32, and the header.
    public var otherBytes: Int
    /// Accuracy of the model read back from the file.
    public var reloadedAccuracy: Double?
    /// The new variant's bytes as `compare` counts them: the same tensors as the file, without
    /// the file's header and the tensors' names and counts.
    public var variantBytes: Int

    /// Source bytes over file bytes.
    public var compressionRatio: Double { Double(baselineBytes) / Double(fileBytes) }

    /// The paper's LeNet-300-100 on MNIST, for the table beside ours (Han et al., Tables 1–2).
    public static let paperLeNet300 = (kept: 0.08, weightBits: 6.0, huffmanWeightBits: 4.4, indexBits: 5.0,
                                       huffmanIndexBits: 3.7, rate: 0.031, huffmanRate: 0.0249,
                                       bytesBefore: 1_070_000, bytesAfter: 27_000,
                                       errorBefore: 0.0164, errorAfter: 0.0158)
}
