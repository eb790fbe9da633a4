/// How much one command may allocate and compute, checked before the work starts.
///
/// A REPL that a class types into must answer `model new mlp 64-100000000-10` at once, not
/// after allocating 25 GB. Every command whose cost grows with its arguments (layer widths and
/// depths, batch sizes, samples, sizes in a file's header) first estimates what it would need,
/// with checked arithmetic, and is refused beyond the limits below with a message saying how
/// much it would take and what the limit is.
///
/// The limits (`set max-memory=` raises the first):
/// - **memory**: 4 GiB by default — a model's parameters with their training state (value,
///   gradient and two optimizer moments: 16 bytes per parameter) plus its widest activations
///   for a batch;
/// - **files**: 2 GiB for a file read whole (a dataset, a model, a script);
/// - **layers**: 10,000 in one model;
/// - **calibration samples**: 1,000,000 rows;
/// - **one forward pass in a benchmark**: 2³³ multiply-adds (seconds, not minutes);
/// - **work of one command that trains** (`train`, `finetune`, `qat`, `distill`, `prune
///   schedule=…`, `compress deep`, `search`'s fine-tuning): 10¹³ multiply-adds by default
///   (`set max-work=` raises it) — three per weight per training row per epoch (the forward
///   product and the two backward ones) plus the per-epoch evaluation. `train epochs=100000`
///   of LeNet-300-100 on Fashion-MNIST's 60,000 images would take 5.1 × 10¹⁵.
///
/// ```swift
/// let budget = ResourceBudget()
/// try budget.checkModel(ModelArchitecture.mlp(sizes: [64, 100_000_000, 10]))
/// // throws: the model mlp 64-100000000-10 would need 302 GiB of memory …; the limit is 4 GiB
/// ```
public struct ResourceBudget: Sendable, Equatable {
    /// The most memory one model (with its training state) or one command may take.
    public var maxBytes: Int
    /// The largest file read whole into memory.
    public var maxFileBytes: Int
    /// The most layers in one model.
    public var maxLayers: Int
    /// The most rows used to calibrate activation ranges.
    public var maxCalibrationSamples: Int
    /// The most multiply-adds of one timed forward pass.
    public var maxPassMultiplyAdds: Int
    /// The most multiply-adds one training command may plan (`set max-work=`).
    public var maxWork: Int

    public static let defaultMaxBytes = 4 << 30
    public static let defaultMaxFileBytes = 2 << 30
    /// Bytes per parameter while training: the value, its gradient and two moments (Adam).
    public static let trainingBytesPerParameter = 16
    /// The batch the activation estimate assumes (the evaluation batch).
    public static let estimateBatch = 256
    /// 10¹³ multiply-adds: about 4 minutes of LeNet-300-100 training on a 2-core AVX-512
    /// machine (230 epochs of Fashion-MNIST's 54,000 training images), a quarter of an hour
    /// on an AVX2 one.
    public static let defaultMaxWork = 10_000_000_000_000

    public init(maxBytes: Int = defaultMaxBytes, maxFileBytes: Int = defaultMaxFileBytes,
                maxLayers: Int = 10_000, maxCalibrationSamples: Int = 1_000_000,
                maxPassMultiplyAdds: Int = 1 << 33, maxWork: Int = defaultMaxWork) {
        self.maxBytes = maxBytes
        self.maxFileBytes = maxFileBytes
        self.maxLayers = maxLayers
        self.maxCalibrationSamples = maxCalibrationSamples
        self.maxPassMultiplyAdds = maxPassMultiplyAdds
        self.maxWork = maxWork
    }

    // MARK: Checked arithmetic

    /// The product of `factors`, or nil when it overflows `Int` (or a factor is negative).
    public static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// The sum of `terms`, or nil when it overflows (or any term is nil or negative).
    public static func sum(_ terms: [Int?]) -> Int? {
        var result = 0
        for term in terms {
            guard let term, term >= 0 else { return nil }
            let (value, overflow) = result.addingReportingOverflow(term)
            if overflow { return nil }
            result = value
        }
        return result
    }

    // MARK: Checks

    /// Refuses `bytes` (nil: too large to count) beyond the memory limit, for `what`.
    public func checkMemory(_ bytes: Int?, for what: String) throws(ResourceError) {
        guard let bytes, bytes <= maxBytes else {
            throw .memory(what: what, bytes: bytes, limit: maxBytes)
        }
    }

    /// Refuses a model whose parameters, training state and activations would not fit, or
    /// that has more layers than allowed — from its description alone, before anything is
    /// allocated, in one pass over the layers.
    public func checkModel(_ architecture: ModelArchitecture) throws(ResourceError) {
        guard architecture.layers.count <= maxLayers else {
            throw .layers(count: architecture.layers.count, limit: maxLayers)
        }
        let what = "the model \(Self.excerpt(architecture.specification))"
        guard let parameters = Self.parameterEstimate(architecture),
              let state = Self.product([parameters, Self.trainingBytesPerParameter]) else {
            throw .memory(what: what, bytes: nil, limit: maxBytes)
        }
        let widest = architecture.layers.map { Self.outputWidth($0) ?? 0 }.max() ?? 0
        let activations = Self.product([max(widest, Self.product(architecture.inputShape) ?? Int.max),
                                        Self.estimateBatch, MemoryLayout<Float>.size, 2])
        try checkMemory(Self.sum([state, activations]), for: what)
    }

    /// Refuses a file of `size` bytes beyond the file limit.
    public func checkFileSize(_ size: Int, path: String) throws(ResourceError) {
        guard size <= maxFileBytes else { throw .file(path: path, bytes: size, limit: maxFileBytes) }
    }

    /// Refuses more calibration rows than allowed.
    public func checkCalibrationSamples(_ samples: Int) throws(ResourceError) {
        guard samples <= maxCalibrationSamples else {
            throw .count(what: "samples=\(samples)", unit: "calibration rows", limit: maxCalibrationSamples)
        }
    }

    /// Refuses a timed forward pass of `rows` × `weights` multiply-adds beyond the limit.
    public func checkPass(rows: Int, weights: Int, for what: String) throws(ResourceError) {
        guard let work = Self.product([rows, weights]), work <= maxPassMultiplyAdds else {
            throw .work(what: what, multiplyAdds: Self.product([rows, weights]), limit: maxPassMultiplyAdds)
        }
    }

    /// Refuses a command whose planned work (nil: too much to count) is beyond `maxWork`.
    public func checkWork(_ multiplyAdds: Int?, for what: String) throws(ResourceError) {
        guard let multiplyAdds, multiplyAdds <= maxWork else {
            throw .training(what: what, multiplyAdds: multiplyAdds, limit: maxWork)
        }
    }

    // MARK: Estimates

    /// Multiply-adds of one sample's forward pass through `model`: in·out per Dense layer,
    /// out·in·k²·(output positions) per convolution, one per output value for the other
    /// layers; nil when it overflows.
    public static func forwardMultiplyAdds(_ model: Model) -> Int? {
        var shape = model.inputShape
        var total = 0
        for layer in model.layers {
            guard let output = try? layer.outputShape(for: shape), let outputCount = product(output) else { return nil }
            let work: Int?
            if let dense = layer as? Dense {
                work = product([dense.inputFeatures, dense.outputFeatures])
            } else if let conv = layer as? Conv2D {
                work = product([outputCount, conv.inputChannels, conv.kernelSize, conv.kernelSize])
            } else {
                work = outputCount
            }
            guard let next = sum([total, work]) else { return nil }
            total = next
            shape = output
        }
        return total
    }

    /// Multiply-adds of `epochs` epochs of training `model` on `trainRows` rows, each epoch
    /// followed by a forward pass over `evaluationRows`: (3·train + evaluation)·forward·epochs;
    /// nil when it overflows.
    public static func trainingWork(_ model: Model, trainRows: Int, evaluationRows: Int = 0, epochs: Int) -> Int? {
        guard let forward = forwardMultiplyAdds(model),
              let rows = sum([product([3, trainRows]), evaluationRows]) else { return nil }
        return product([forward, rows, epochs])
    }

    /// Parameters of a model from its layer descriptions (Dense and Conv2D carry weights),
    /// nil when the count overflows or an attribute is not a non-negative integer.
    static func parameterEstimate(_ architecture: ModelArchitecture) -> Int? {
        var total = 0
        for layer in architecture.layers {
            let count: Int?
            switch layer.kind {
            case Dense.kind:
                guard let input = integer(layer, "in"), let output = integer(layer, "out") else { return nil }
                count = sum([product([input, output]), output])
            case Conv2D.kind:
                guard let input = integer(layer, "in"), let output = integer(layer, "out"),
                      let kernel = integer(layer, "kernel") else { return nil }
                count = sum([product([output, input, kernel, kernel]), output])
            default:
                count = 0
            }
            guard let next = sum([total, count]) else { return nil }
            total = next
        }
        return total
    }

    /// Values per sample a layer writes, where its description says (Dense), else nil.
    private static func outputWidth(_ layer: LayerDescription) -> Int? {
        layer.kind == Dense.kind ? integer(layer, "out") : nil
    }

    private static func integer(_ layer: LayerDescription, _ key: String) -> Int? {
        // An absent attribute is the layer's own error to report; only sizes count here.
        guard let text = layer.attributes[key] else { return 0 }
        guard let value = Int(text), value >= 0 else { return text.allSatisfy(\.isNumber) ? nil : 0 }
        return value
    }

    /// At most 60 characters of `text`, for messages about huge specifications.
    static func excerpt(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "…"
    }
}

/// A command that would take more than the budget allows; nothing was allocated.
public enum ResourceError: Error, CustomStringConvertible, Equatable, Sendable {
    case memory(what: String, bytes: Int?, limit: Int)
    case layers(count: Int, limit: Int)
    case file(path: String, bytes: Int, limit: Int)
    case count(what: String, unit: String, limit: Int)
    case work(what: String, multiplyAdds: Int?, limit: Int)
    case training(what: String, multiplyAdds: Int?, limit: Int)

    public var description: String {
        switch self {
        case let .memory(what, bytes, limit):
            let need = bytes.map { "would need \(Self.bytes($0)) of memory" } ?? "would need more memory than can be counted"
            return "\(what) \(need) (parameters with their training state, and activations for a batch); the limit is \(Self.bytes(limit)) — "
                + "make it smaller, or raise the limit with 'set max-memory=…' (e.g. max-memory=16G)"
        case let .layers(count, limit):
            return "a model of \(count) layers is beyond the limit of \(limit) layers"
        case let .file(path, bytes, limit):
            return "'\(path)' is \(Self.bytes(bytes)), beyond the limit of \(Self.bytes(limit)) for a file read whole"
        case let .count(what, unit, limit):
            return "\(what) is beyond the limit of \(limit) \(unit)"
        case let .work(what, work, limit):
            let need = work.map { "\($0) multiply-adds" } ?? "more multiply-adds than can be counted"
            return "\(what) would take \(need) per pass, beyond the limit of \(limit) (about 2³³); use a smaller batch"
        case let .training(what, work, limit):
            let need = work.map { "about \(Self.multiplyAdds($0)) multiply-adds" } ?? "more multiply-adds than can be counted"
            return "\(what) would take \(need) (forward and backward passes); the limit for one command is "
                + "\(Self.multiplyAdds(limit)) — use fewer epochs or rows (data load … n=), "
                + "or raise the limit with 'set max-work=…' (e.g. max-work=100T)"
        }
    }

    /// `4.8 × 10¹⁵`, `10¹³`, `950,000`: counts from a million on in powers of ten.
    public static func multiplyAdds(_ count: Int) -> String {
        guard count >= 1_000_000 else { return grouped(count) }
        var exponent = 0
        var mantissa = Double(count)
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        var tenths = Int((mantissa * 10).rounded())
        if tenths == 100 { tenths = 10; exponent += 1 }
        let superscripts = Array("⁰¹²³⁴⁵⁶⁷⁸⁹")
        let power = "10" + String(String(exponent).map { superscripts[Int(String($0))!] })
        return tenths == 10 ? power : "\(tenths / 10).\(tenths % 10) × \(power)"
    }

    /// `54,000`: thousands separated by commas.
    public static func grouped(_ count: Int) -> String {
        var digits = Array(String(count.magnitude)), text = ""
        while digits.count > 3 {
            text = "," + String(digits.suffix(3)) + text
            digits.removeLast(3)
        }
        return (count < 0 ? "-" : "") + String(digits) + text
    }

    /// `25.0 GiB`, `512 MiB`, `300 KiB`, `12 bytes`.
    public static func bytes(_ count: Int) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        guard count >= 1024 else { return "\(count) bytes" }
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        let text = value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(format1(value))
        return "\(text) \(units[unit])"
    }

    private static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
