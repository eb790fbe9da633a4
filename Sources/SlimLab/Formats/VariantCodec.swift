import SlimKernels

/// How one weight of a variant is kept in a model file: the form its inference kernel stores it
/// in, so that the file holds the variant's bytes and not a dequantized Float copy.
///
/// | form | tensors (for `fc1.weight` [out, in]) |
/// | --- | --- |
/// | `f32` | `fc1.weight` F32 [out, in] |
/// | `csr` | `fc1.weight` F32 [nnz] (kept values), `fc1.weight.col_indices` I32 [nnz], `fc1.weight.row_ptr` I32 [out + 1] |
/// | `grid` | `fc1.weight` codes: I8 [out, in] for 5–8 bits, else U8 [bytes] packed (2 or 4 bits a field); `fc1.weight.scale` F32 [sets]; `fc1.weight.zero_point` I8 [sets] (affine only) |
/// | `q8_0`, `q4_0` | `fc1.weight` U8 [bytes]: llama.cpp's blocks as they are |
/// | `shared` | weight sharing (`SharedWeightEncoding`): `fc1.weight` U8 [bytes] the centroid indices, `fc1.weight.gaps` U8 [bytes] the relative positions (pruned only), `fc1.weight.codebook` F32 [k], `fc1.weight.code_lengths` U8 (Huffman only) |
/// | `sparse-codes` | symmetric per-channel integer codes of a pruned layer (`SparseCodesDenseKernel`): as `grid` when dense; as CSR when smaller — `fc1.weight` the kept codes (I8 [nnz], or U8 packed), `fc1.weight.col_indices` U16 (I32 past 65,536 columns) [nnz], `fc1.weight.row_ptr` I32 [out + 1], `fc1.weight.scale` F32 [out] |
///
/// A pruning mask that the form does not already hold goes beside it as `fc1.weight.mask`, one
/// bit per weight (bit i % 8 of byte i / 8, low bit first; 1 keeps). The metadata key
/// `slimlab.storage.fc1.weight` names the form for SlimLab (`grid bits=8 scheme=symmetric
/// granularity=channel`), and the key `fc1.weight` says it in words for a person.
struct WeightForm: Equatable {
    enum Kind: String, CaseIterable {
        case f32, csr, grid, q8_0, q4_0, shared
        case sparseCodes = "sparse-codes"
    }

    var kind: Kind
    /// Settings of the form, as `key=value` words (`bits`, `scheme`, `granularity`, `masked`,
    /// `sparse`, `crossover`: the measured density below which the SpMM runs).
    var settings: [String: String] = [:]

    /// `grid bits=8 granularity=channel scheme=symmetric` (settings sorted).
    var text: String {
        ([kind.rawValue] + settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }).joined(separator: " ")
    }

    init(_ kind: Kind, _ settings: [String: String] = [:]) {
        self.kind = kind
        self.settings = settings
    }

    /// Reads `text`, or nil when it is not a form.
    init?(text: String) {
        guard let (head, settings) = Self.words(text), let kind = Kind(rawValue: head) else { return nil }
        self.init(kind, settings)
    }

    /// `head key=value …` split into the head and the settings, or nil when a word is no pair.
    static func words(_ text: String) -> (head: String, settings: [String: String])? {
        let words = text.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        var settings: [String: String] = [:]
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            settings[parts[0]] = parts[1]
        }
        return (first, settings)
    }
}

/// The tensors and words of one weight, written into or read from a file.
enum VariantCodec {
    static let storagePrefix = "slimlab.storage."
    static let maskSuffix = ".mask"
    static let scaleSuffix = ".scale"
    static let zeroPointSuffix = ".zero_point"
    static let columnsSuffix = ".col_indices"
    static let rowsSuffix = ".row_ptr"
    static let rangeSuffix = ".range"
    static let gapsSuffix = ".gaps"
    static let codebookSuffix = ".codebook"
    static let codeLengthsSuffix = ".code_lengths"

    // MARK: Writing

    /// Writes the weight `name` (value `parameter`) of a Dense layer stored by `kernel` (nil: as
    /// trained) into `file`, with its form and description in the metadata.
    static func writeWeight(_ parameter: Parameter, name: String, kernel: (any DenseInferenceKernel)?,
                            into file: inout SafetensorsFile) {
        var form = WeightForm(.f32)
        var words: String?
        switch kernel {
        case let csr as CSRDenseKernel:
            let m = csr.matrix
            form = WeightForm(.csr, csrRunSettings(csr).merging(["masked": parameter.mask == nil ? "no" : "yes"]) { a, _ in a })
            file[name] = try? SafetensorsTensor(shape: [m.values.count], scalars: m.values)
            file[name + columnsSuffix] = try? SafetensorsTensor(shape: [m.columnIndices.count], scalars: m.columnIndices)
            file[name + rowsSuffix] = try? SafetensorsTensor(shape: [m.rowPointers.count], scalars: m.rowPointers)
            words = "CSR of the kept weights of [\(m.rows), \(m.columns)]: their values here (F32 [\(m.values.count)]), "
                + "their columns in \(name + columnsSuffix) (I32), row i's entries at \(name + rowsSuffix)[i]..<[i+1] (I32 [\(m.rows + 1)]); "
                + "every other weight is 0"
        case let weightOnly as WeightOnlyDenseKernel:
            switch weightOnly.storage {
            case .grid(let q):
                (form, words) = writeGrid(q, name: name, into: &file)
            case .blocks(let b):
                (form, words) = writeBlocks(b, name: name, into: &file)
            }
        case let int8 as Int8DenseKernel:
            (form, words) = writeGrid(int8.stage.weight, name: name, into: &file)
        case let sparse as SparseCodesDenseKernel:
            (form, words) = writeSparseCodes(sparse, name: name, into: &file)
        default:
            file[name] = SafetensorsTensor(parameter.value)
            if let kernel {
                words = "F32 as computed; its \(kernel.label) kernel has no file form, so it loads as fp32"
            }
        }
        if let mask = parameter.mask, form.kind != .csr {
            writeMask(mask, name: name, into: &file)
        }
        if form.kind != .f32 { file.metadata[storagePrefix + name] = form.text }
        if let words { file.metadata[name] = words }
    }

    /// Writes a parameter kept in F32 (biases, convolution kernels), with its mask if any.
    static func writeFloat(_ parameter: Parameter, name: String, into file: inout SafetensorsFile) {
        file[name] = SafetensorsTensor(parameter.value)
        if let mask = parameter.mask { writeMask(mask, name: name, into: &file) }
    }

    static func writeMask(_ mask: Tensor<Float>, name: String, into file: inout SafetensorsFile) {
        var bits = [UInt8](repeating: 0, count: (mask.count + 7) / 8)
        mask.withUnsafeBufferPointer { m in
            for i in 0..<m.count where m[i] != 0 { bits[i / 8] |= 1 << UInt8(i % 8) }
        }
        file[name + maskSuffix] = try? SafetensorsTensor(shape: [bits.count], scalars: bits)
        let key = name + maskSuffix
        file.metadata[key] = "pruning mask of \(name) \(ModelError.shapeText(mask.shape)), one bit per weight, 1 = kept: "
            + "numpy.unpackbits(m, bitorder='little')[:\(mask.count)]"
    }

    // MARK: Reading

    /// What a weight read from a file comes back as: its Float value (what its codes stand
    /// for), its mask, and the kernel or grid that stores it.
    struct DecodedWeight {
        var value: Tensor<Float>
        var mask: Tensor<Float>?
        var kernel: (any DenseInferenceKernel)?
        /// A grid weight, for a static engine to compile.
        var grid: QuantizedTensor?
        /// The codebook of a weight that shares its values.
        var codebook: WeightCodebook?
    }

    /// The form recorded for `name` (`f32` when none is).
    static func form(of name: String, in file: SafetensorsFile, path: String) throws -> WeightForm {
        guard let text = file.metadata[storagePrefix + name] else { return WeightForm(.f32) }
        guard let form = WeightForm(text: text) else {
            throw ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: text)
        }
        return form
    }

    /// Reads the weight `name` of a Dense layer (`layerName`) of shape `shape`.
    static func readWeight(_ name: String, layerName: String, shape: [Int], in file: SafetensorsFile,
                           path: String) throws -> DecodedWeight {
        let form = try form(of: name, in: file, path: path)
        switch form.kind {
        case .f32:
            return DecodedWeight(value: try readFloat(name, shape: shape, in: file, path: path),
                                 mask: try readMask(name, shape: shape, in: file, path: path))
        case .csr:
            return try readCSR(name, form: form, shape: shape, in: file, path: path)
        case .grid:
            let q = try readGrid(name, form: form, shape: shape, in: file, path: path)
            return DecodedWeight(value: q.dequantized(), mask: try readMask(name, shape: shape, in: file, path: path),
                                 kernel: WeightOnlyDenseKernel(layerName: layerName, storage: .grid(q)), grid: q)
        case .shared:
            return try readShared(name, form: form, shape: shape, in: file, path: path)
        case .sparseCodes:
            let q = try readSparseCodes(name, form: form, shape: shape, in: file, path: path)
            return DecodedWeight(value: q.dequantized(), mask: try readMask(name, shape: shape, in: file, path: path),
                                 kernel: SparseCodesDenseKernel(layerName: layerName, quantized: q))
        case .q8_0, .q4_0:
            let format: BlockFormat = form.kind == .q8_0 ? .q8_0 : .q4_0
            let blocks = try readBlocks(name, format: format, shape: shape, in: file, path: path)
            return DecodedWeight(value: blocks.dequantized(), mask: try readMask(name, shape: shape, in: file, path: path),
                                 kernel: WeightOnlyDenseKernel(layerName: layerName, storage: .blocks(blocks)))
        }
    }

    /// An F32 tensor of `shape`, checked.
    static func readFloat(_ name: String, shape: [Int], in file: SafetensorsFile, path: String) throws -> Tensor<Float> {
        let stored = try entry(name, dtype: .float32, shape: shape, in: file, path: path)
        let value = try stored.tensor(as: Float.self)
        // A model's parameters are finite: NaN or infinity means a damaged file (SlimLab never writes one).
        if let bad = value.withUnsafeBufferPointer({ $0.firstIndex { !$0.isFinite } }) {
            throw ModelFileError.nonFinite(path: path, name: name, index: bad, value: value[flat: bad].isNaN ? "NaN" : "infinity")
        }
        return value
    }

    /// The mask of `name`: one bit per weight (`.mask`), or a U8 per weight (`_mask`, files
    /// of format 1 and PyTorch's pruning buffers); nil when there is none.
    static func readMask(_ name: String, shape: [Int], in file: SafetensorsFile, path: String) throws -> Tensor<Float>? {
        let count = shape.reduce(1, *)
        if file[name + maskSuffix] != nil {
            let bits = try entry(name + maskSuffix, dtype: .uint8, shape: [(count + 7) / 8], in: file, path: path)
                .scalars(as: UInt8.self)
            return Tensor(shape: shape) { m in
                for i in 0..<count { m[i] = bits[i / 8] >> UInt8(i % 8) & 1 == 1 ? 1 : 0 }
            }
        }
        if file[name + "_mask"] != nil {
            let bytes = try entry(name + "_mask", dtype: .uint8, shape: shape, in: file, path: path).scalars(as: UInt8.self)
            if let bad = bytes.firstIndex(where: { $0 > 1 }) {
                throw ModelFileError.nonBinaryMask(path: path, name: name + "_mask", index: bad, value: Int(bytes[bad]))
            }
            return Tensor(shape: shape) { m in
                for i in 0..<count { m[i] = bytes[i] != 0 ? 1 : 0 }
            }
        }
        return nil
    }

    /// The tensor `name`, which must exist with `dtype` and `shape`.
    static func entry(_ name: String, dtype: SafetensorsDType, shape: [Int], in file: SafetensorsFile,
                      path: String) throws -> SafetensorsTensor {
        guard let stored = file[name] else {
            throw ModelFileError.missingTensor(path: path, name: name, expectedShape: shape)
        }
        guard stored.shape == shape else {
            throw ModelFileError.shapeMismatch(path: path, name: name, expected: shape, found: stored.shape)
        }
        guard stored.dtype == dtype else {
            throw ModelFileError.dtypeMismatch(path: path, name: name, found: stored.dtype.rawValue, expected: dtype.rawValue)
        }
        return stored
    }

    private static func readCSR(_ name: String, form: WeightForm, shape: [Int], in file: SafetensorsFile,
                                path: String) throws -> DecodedWeight {
        guard shape.count == 2 else { throw ModelFileError.badStorage(path: path, name: name, reason: "CSR needs a matrix") }
        let count = file[name]?.shape.first ?? 0
        let values = try entry(name, dtype: .float32, shape: [count], in: file, path: path).scalars(as: Float.self)
        let columns = try entry(name + columnsSuffix, dtype: .int32, shape: [count], in: file, path: path).scalars(as: Int32.self)
        let rows = try entry(name + rowsSuffix, dtype: .int32, shape: [shape[0] + 1], in: file, path: path).scalars(as: Int32.self)
        let matrix: CSRMatrix
        do {
            matrix = try CSRMatrix(rows: shape[0], columns: shape[1], values: values, columnIndices: columns, rowPointers: rows)
        } catch {
            throw ModelFileError.badStorage(path: path, name: name, reason: "\(error)")
        }
        let weight = matrix.dense()
        var mask: Tensor<Float>?
        if try flag("masked", of: form, name: name, path: path) {
            let ones = try CSRMatrix(rows: shape[0], columns: shape[1], values: [Float](repeating: 1, count: count),
                                     columnIndices: columns, rowPointers: rows)
            mask = ones.dense()
        }
        return DecodedWeight(value: weight, mask: mask, kernel: try csrKernel(name, weight: weight, mask: mask, form: form, path: path))
    }

    static func crossover(of form: WeightForm, name: String, path: String) throws -> Double? {
        guard let text = form.settings["crossover"] else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: form.text)
        }
        return value
    }

    static func flag(_ key: String, of form: WeightForm, name: String, path: String) throws -> Bool {
        switch form.settings[key] {
        case "yes": return true
        case "no": return false
        default:
            throw ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: form.text)
        }
    }

    /// How a CSR kernel runs (sparse or dense, and its measured crossover), as a form keeps it.
    static func csrRunSettings(_ csr: CSRDenseKernel) -> [String: String] {
        var settings = ["sparse": csr.runsSparse ? "yes" : "no"]
        if let crossover = csr.crossoverDensity { settings["crossover"] = "\(crossover)" }
        return settings
    }

    /// The CSR kernel of `weight` as the form's run settings say.
    static func csrKernel(_ name: String, weight: Tensor<Float>, mask: Tensor<Float>?, form: WeightForm,
                          path: String) throws -> CSRDenseKernel {
        CSRDenseKernel(weightName: name, weight: weight, mask: mask,
                       runsSparse: try flag("sparse", of: form, name: name, path: path),
                       crossoverDensity: try crossover(of: form, name: name, path: path))
    }
}
