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
            form = WeightForm(.csr, ["masked": parameter.mask == nil ? "no" : "yes", "sparse": csr.runsSparse ? "yes" : "no"])
            if let crossover = csr.crossoverDensity { form.settings["crossover"] = "\(crossover)" }
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

    /// Writes the weight `name` that shares its values (`codebook`), in the layout and coding
    /// the codebook says, with the CSR kernel's run settings when its Dense layer has one.
    static func writeShared(_ parameter: Parameter, codebook: WeightCodebook, name: String,
                            kernel: (any DenseInferenceKernel)?, into file: inout SafetensorsFile) {
        let shape = parameter.value.shape
        let encoding = codebook.encoding(shape: shape)
        var form = WeightForm(.shared, ["k": "\(encoding.clusters)", "coding": encoding.coding.rawValue,
                                        "entries": "\(encoding.entries)"])
        if encoding.coding == .fixed { form.settings["symbol_bits"] = "\(encoding.fixedSymbolBits)" }
        if let gapBits = encoding.gapBits { form.settings["gap_bits"] = "\(gapBits)" }
        if let csr = kernel as? CSRDenseKernel {
            form.settings["sparse"] = csr.runsSparse ? "yes" : "no"
            if let crossover = csr.crossoverDensity { form.settings["crossover"] = "\(crossover)" }
        }
        file[name] = try? SafetensorsTensor(shape: [encoding.symbols.count], scalars: encoding.symbols)
        file[name + codebookSuffix] = try? SafetensorsTensor(shape: [encoding.clusters], scalars: encoding.centroids)
        let k = encoding.clusters
        var words = "weight sharing of \(ModelError.shapeText(shape)): k = \(k) centroids C in \(name + codebookSuffix) (F32 [\(k)]); "
        let order = "bits first in the highest place of each byte"
        switch (encoding.coding, encoding.gapBits) {
        case (.fixed, nil):
            words += "here one \(encoding.fixedSymbolBits)-bit index I per weight, row-major (\(order)); w = C[I]"
        case (.fixed, let gapBits?):
            words += "here the \(encoding.entries) stored entries' \(encoding.fixedSymbolBits)-bit indices, "
                + "in \(name + gapsSuffix) their \(gapBits)-bit gaps g (\(order)): each entry lies g + 1 places after the previous "
                + "(the first after place −1); index \(k) is a filler holding 0; every other weight is 0 (pruned)"
        case (.huffman, let gapBits):
            words += "here the \(encoding.entries) entries' indices Huffman-coded (canonical codes, \(order)); "
                + "\(name + codeLengthsSuffix) holds the code length of each of the \(encoding.symbolCount) index symbols"
            if let gapBits {
                words += " and of each of the \(1 << gapBits) gaps, which are Huffman-coded in \(name + gapsSuffix): each entry lies "
                    + "g + 1 places after the previous; index \(k) is a filler holding 0; every other weight is 0 (pruned)"
            }
        }
        if encoding.gapBits != nil {
            file[name + gapsSuffix] = try? SafetensorsTensor(shape: [encoding.gaps.count], scalars: encoding.gaps)
        }
        if encoding.coding == .huffman {
            file[name + codeLengthsSuffix] = try? SafetensorsTensor(shape: [encoding.codeLengths.count], scalars: encoding.codeLengths)
        }
        // A mask the assignments do not hold already (one that prunes nothing) goes beside it.
        if let mask = parameter.mask, encoding.gapBits == nil { writeMask(mask, name: name, into: &file) }
        file.metadata[storagePrefix + name] = form.text
        file.metadata[name] = words
    }

    /// Writes a parameter kept in F32 (biases, convolution kernels), with its mask if any.
    static func writeFloat(_ parameter: Parameter, name: String, into file: inout SafetensorsFile) {
        file[name] = SafetensorsTensor(parameter.value)
        if let mask = parameter.mask { writeMask(mask, name: name, into: &file) }
    }

    private static func writeMask(_ mask: Tensor<Float>, name: String, into file: inout SafetensorsFile) {
        var bits = [UInt8](repeating: 0, count: (mask.count + 7) / 8)
        mask.withUnsafeBufferPointer { m in
            for i in 0..<m.count where m[i] != 0 { bits[i / 8] |= 1 << UInt8(i % 8) }
        }
        file[name + maskSuffix] = try? SafetensorsTensor(shape: [bits.count], scalars: bits)
        let key = name + maskSuffix
        file.metadata[key] = "pruning mask of \(name) \(ModelError.shapeText(mask.shape)), one bit per weight, 1 = kept: "
            + "numpy.unpackbits(m, bitorder='little')[:\(mask.count)]"
    }

    private static func writeGrid(_ q: QuantizedTensor, name: String, into file: inout SafetensorsFile) -> (WeightForm, String) {
        let spec = q.spec
        let form = WeightForm(.grid, ["bits": "\(spec.bits)", "scheme": spec.scheme.rawValue,
                                      "granularity": spec.granularity.rawValue])
        let width = q.storage.fieldWidth
        var words = "int\(spec.bits) codes q"
        if width == 8 {
            file[name] = SafetensorsTensor(q.codes)
            words += " (I8 \(ModelError.shapeText(q.shape)))"
        } else {
            file[name] = try? SafetensorsTensor(shape: [q.storage.bytes.count], scalars: q.storage.bytes)
            words += " of \(ModelError.shapeText(q.shape)), \(8 / width) per byte (U8), code i in bits "
                + "\(width)·(i % \(8 / width)) of byte i / \(8 / width), two's complement"
        }
        let sets = q.parameters.count
        file[name + scaleSuffix] = try? SafetensorsTensor(shape: [sets], scalars: q.parameters.map(\.scale))
        let per = spec.granularity == .channel ? "per output channel (row)" : "per tensor"
        words += ", \(spec.scheme.rawValue) \(per): scale s in \(name + scaleSuffix) (F32 [\(sets)])"
        if spec.scheme == .affine {
            file[name + zeroPointSuffix] = try? SafetensorsTensor(shape: [sets], scalars: q.parameters.map { Int8($0.zeroPoint) })
            words += ", zero point z in \(name + zeroPointSuffix) (I8); w = s·(q − z)"
        } else {
            words += "; w = s·q"
        }
        return (form, words)
    }

    private static func writeSparseCodes(_ kernel: SparseCodesDenseKernel, name: String,
                                         into file: inout SafetensorsFile) -> (WeightForm, String) {
        let q = kernel.quantized
        guard kernel.storedAsCSR else {
            let (grid, words) = writeGrid(q, name: name, into: &file)
            var form = grid
            form.kind = .sparseCodes
            form.settings["csr"] = "no"
            return (form, words)
        }
        let layout = kernel.csrLayout
        let bits = q.spec.bits
        var form = WeightForm(.sparseCodes, ["bits": "\(bits)", "scheme": q.spec.scheme.rawValue,
                                             "granularity": q.spec.granularity.rawValue, "csr": "yes"])
        form.settings["nnz"] = "\(layout.codes.count)"
        let width = PackedCodes.fieldWidth(forBits: bits)
        var words = "CSR of the non-zero int\(bits) codes q of \(ModelError.shapeText(q.shape)): "
        if width == 8 {
            file[name] = try? SafetensorsTensor(shape: [layout.codes.count], scalars: layout.codes)
            words += "here (I8 [\(layout.codes.count)])"
        } else {
            let packed = layout.codes.withUnsafeBufferPointer { PackedCodes(codes: $0, bits: bits) }
            file[name] = try? SafetensorsTensor(shape: [packed.bytes.count], scalars: packed.bytes)
            words += "here \(8 / width) per byte (U8), code i in bits \(width)·(i % \(8 / width)) of byte i / \(8 / width), two's complement"
        }
        let columns = layout.wideColumns ? "I32" : "U16"
        if layout.wideColumns {
            file[name + columnsSuffix] = try? SafetensorsTensor(shape: [layout.columns.count], scalars: layout.columns)
        } else {
            file[name + columnsSuffix] = try? SafetensorsTensor(shape: [layout.columns.count], scalars: layout.columns.map { UInt16($0) })
        }
        file[name + rowsSuffix] = try? SafetensorsTensor(shape: [layout.rowPointers.count], scalars: layout.rowPointers)
        file[name + scaleSuffix] = try? SafetensorsTensor(shape: [q.parameters.count], scalars: q.parameters.map(\.scale))
        words += "; their columns in \(name + columnsSuffix) (\(columns)), row i's codes at \(name + rowsSuffix)[i]..<[i+1] (I32); "
            + "symmetric per output channel: scale s in \(name + scaleSuffix) (F32); w = s·q, every other weight is 0"
        return (form, words)
    }

    private static func writeBlocks(_ b: BlockQuantizedTensor, name: String, into file: inout SafetensorsFile) -> (WeightForm, String) {
        let kind: WeightForm.Kind = b.format == .q8_0 ? .q8_0 : .q4_0
        file[name] = try? SafetensorsTensor(shape: [b.bytes.count], scalars: b.bytes)
        let codes = b.format == .q8_0
            ? "32 int8 q; w = d·q"
            : "16 bytes, weight j in the low nibble of byte j, j + 16 in its high nibble; w = d·(q − 8)"
        let words = "\(b.format.displayName) blocks of \(ModelError.shapeText(b.shape)) as llama.cpp stores them (U8): "
            + "per 32 weights of a row, an fp16 scale d (2 bytes, little-endian), then \(codes)"
        return (WeightForm(kind), words)
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
        let kernel = CSRDenseKernel(weightName: name, weight: weight, mask: mask,
                                    runsSparse: try flag("sparse", of: form, name: name, path: path),
                                    crossoverDensity: try crossover(of: form, name: name, path: path))
        return DecodedWeight(value: weight, mask: mask, kernel: kernel)
    }

    /// A weight that shares its values: its codebook and indices decoded, its mask where the
    /// indices leave entries out, and the CSR kernel its Dense layer ran on, if any.
    static func readShared(_ name: String, form: WeightForm, shape: [Int], in file: SafetensorsFile,
                           path: String) throws -> DecodedWeight {
        let bad = ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: form.text)
        guard let k = form.settings["k"].flatMap({ Int($0) }), k >= 2, k <= WeightClustering.maximumClusters,
              let coding = form.settings["coding"].flatMap({ SharedIndexCoding(rawValue: $0) }),
              let entries = form.settings["entries"].flatMap({ Int($0) }), entries >= 0 else { throw bad }
        let gapBits = try form.settings["gap_bits"].map { text -> Int in
            guard let bits = Int(text), bits >= 1, bits <= 16 else { throw bad }
            return bits
        }
        var symbolBits = 0
        if coding == .fixed {
            guard let bits = form.settings["symbol_bits"].flatMap({ Int($0) }), bits >= 1, bits <= 16 else { throw bad }
            symbolBits = bits
        }
        let count = shape.reduce(1, *)
        func bytes(_ tensor: String) throws -> [UInt8] {
            try entry(tensor, dtype: .uint8, shape: [file[tensor]?.shape.first ?? 0], in: file, path: path).scalars(as: UInt8.self)
        }
        let centroids = try entry(name + codebookSuffix, dtype: .float32, shape: [k], in: file, path: path).scalars(as: Float.self)
        if let wrong = centroids.firstIndex(where: { !$0.isFinite }) {
            throw ModelFileError.nonFinite(path: path, name: name + codebookSuffix, index: wrong, value: centroids[wrong].isNaN ? "NaN" : "infinity")
        }
        let encoding = SharedWeightEncoding(
            coding: coding, centroids: centroids, count: count, gapBits: gapBits, entries: entries, fixedSymbolBits: symbolBits,
            symbols: try bytes(name), gaps: gapBits == nil ? [] : try bytes(name + gapsSuffix),
            codeLengths: coding == .huffman ? try bytes(name + codeLengthsSuffix) : [])
        let assignments: [Int32]
        do {
            assignments = try encoding.assignments()
        } catch {
            throw ModelFileError.badStorage(path: path, name: name, reason: "\(error)")
        }
        let codebook = WeightCodebook(parameter: name, centroids: centroids, assignments: assignments, coding: coding)
        let value = codebook.values(shape: shape)
        var mask = try readMask(name, shape: shape, in: file, path: path)
        if assignments.contains(-1) {
            mask = Tensor(shape: shape, scalars: assignments.map { $0 >= 0 ? 1 : 0 })
        }
        var kernel: (any DenseInferenceKernel)?
        if form.settings["sparse"] != nil {
            guard shape.count == 2 else { throw ModelFileError.badStorage(path: path, name: name, reason: "CSR needs a matrix") }
            kernel = CSRDenseKernel(weightName: name, weight: value, mask: mask,
                                    runsSparse: try flag("sparse", of: form, name: name, path: path),
                                    crossoverDensity: try crossover(of: form, name: name, path: path))
        }
        return DecodedWeight(value: value, mask: mask, kernel: kernel, codebook: codebook)
    }

    /// A `sparse-codes` weight: dense codes as a grid, or its CSR expanded to one.
    static func readSparseCodes(_ name: String, form: WeightForm, shape: [Int], in file: SafetensorsFile,
                                path: String) throws -> QuantizedTensor {
        guard try flag("csr", of: form, name: name, path: path) else {
            var grid = form
            grid.kind = .grid
            grid.settings["csr"] = nil
            let q = try readGrid(name, form: grid, shape: shape, in: file, path: path)
            guard q.spec.scheme == .symmetric else { throw ModelFileError.badStorage(path: path, name: name, reason: "sparse codes are symmetric") }
            return q
        }
        let bad = ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: form.text)
        guard shape.count == 2, let bits = form.settings["bits"].flatMap({ Int($0) }),
              form.settings["scheme"] == QuantizationScheme.symmetric.rawValue,
              form.settings["granularity"] == QuantizationGranularity.channel.rawValue,
              let range = try? IntegerRange(bits: bits, scheme: .symmetric),
              let nnz = form.settings["nnz"].flatMap({ Int($0) }), nnz >= 0, nnz <= shape[0] * shape[1] else { throw bad }
        let (rows, columns) = (shape[0], shape[1])
        let width = PackedCodes.fieldWidth(forBits: bits)
        let codes: [Int8]
        if width == 8 {
            codes = try entry(name, dtype: .int8, shape: [nnz], in: file, path: path).scalars(as: Int8.self)
        } else {
            let perByte = 8 / width
            let bytes = try entry(name, dtype: .uint8, shape: [(nnz + perByte - 1) / perByte], in: file, path: path).scalars(as: UInt8.self)
            codes = PackedCodes(storedBytes: bytes, count: nnz, bits: bits).unpacked(shape: [nnz]).scalars
        }
        if let outside = codes.first(where: { Int($0) < range.qmin || Int($0) > range.qmax }) {
            throw ModelFileError.badStorage(path: path, name: name, reason: "code \(outside) lies outside [\(range.qmin), \(range.qmax)]")
        }
        let columnIndices: [Int32]
        if columns > 65_536 {
            columnIndices = try entry(name + columnsSuffix, dtype: .int32, shape: [nnz], in: file, path: path).scalars(as: Int32.self)
        } else {
            columnIndices = try entry(name + columnsSuffix, dtype: .uint16, shape: [nnz], in: file, path: path)
                .scalars(as: UInt16.self).map { Int32($0) }
        }
        let rowPointers = try entry(name + rowsSuffix, dtype: .int32, shape: [rows + 1], in: file, path: path).scalars(as: Int32.self)
        // The structure is checked by the CSR reader; the codes then go to their places.
        let ones = [Float](repeating: 1, count: nnz)
        do {
            _ = try CSRMatrix(rows: rows, columns: columns, values: ones, columnIndices: columnIndices, rowPointers: rowPointers)
        } catch {
            throw ModelFileError.badStorage(path: path, name: name, reason: "\(error)")
        }
        var dense = [Int8](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for i in Int(rowPointers[row])..<Int(rowPointers[row + 1]) { dense[row * columns + Int(columnIndices[i])] = codes[i] }
        }
        let scales = try entry(name + scaleSuffix, dtype: .float32, shape: [rows], in: file, path: path).scalars(as: Float.self)
        if let wrong = scales.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw ModelFileError.badStorage(path: path, name: name + scaleSuffix, reason: "scale \(wrong) is not positive and finite")
        }
        let parameters = scales.map { QuantizationParameters(scale: $0, zeroPoint: 0, range: range) }
        let storage = dense.withUnsafeBufferPointer { PackedCodes(codes: $0, bits: bits) }
        return QuantizedTensor(shape: shape, spec: QuantizationSpec(bits: bits, scheme: .symmetric, granularity: .channel),
                               parameters: parameters, storage: storage)
    }

    private static func crossover(of form: WeightForm, name: String, path: String) throws -> Double? {
        guard let text = form.settings["crossover"] else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: form.text)
        }
        return value
    }

    private static func flag(_ key: String, of form: WeightForm, name: String, path: String) throws -> Bool {
        switch form.settings[key] {
        case "yes": return true
        case "no": return false
        default:
            throw ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: form.text)
        }
    }

    /// A grid weight: codes, scales and zero points checked against the spec.
    static func readGrid(_ name: String, form: WeightForm, shape: [Int], in file: SafetensorsFile,
                         path: String) throws -> QuantizedTensor {
        let bad = ModelFileError.badMetadata(path: path, key: storagePrefix + name, value: form.text)
        guard let bits = form.settings["bits"].flatMap({ Int($0) }),
              let scheme = form.settings["scheme"].flatMap({ QuantizationScheme(rawValue: $0) }),
              let granularity = form.settings["granularity"].flatMap({ QuantizationGranularity(rawValue: $0) }),
              let range = try? IntegerRange(bits: bits, scheme: scheme) else { throw bad }
        let spec = QuantizationSpec(bits: bits, scheme: scheme, granularity: granularity)
        let count = shape.reduce(1, *)
        let sets = granularity == .channel ? (shape.first ?? 0) : 1
        guard count > 0, sets > 0 else { throw ModelFileError.badStorage(path: path, name: name, reason: "nothing to dequantize") }
        let width = PackedCodes.fieldWidth(forBits: bits)
        let codes: [Int8]
        if width == 8 {
            codes = try entry(name, dtype: .int8, shape: shape, in: file, path: path).scalars(as: Int8.self)
        } else {
            let perByte = 8 / width
            let bytes = try entry(name, dtype: .uint8, shape: [(count + perByte - 1) / perByte], in: file, path: path)
                .scalars(as: UInt8.self)
            codes = PackedCodes(storedBytes: bytes, count: count, bits: bits).unpacked(shape: [count]).scalars
        }
        if let outside = codes.first(where: { Int($0) < range.qmin || Int($0) > range.qmax }) {
            throw ModelFileError.badStorage(path: path, name: name,
                                            reason: "code \(outside) lies outside [\(range.qmin), \(range.qmax)] of \(spec)")
        }
        let scales = try entry(name + scaleSuffix, dtype: .float32, shape: [sets], in: file, path: path).scalars(as: Float.self)
        if let wrong = scales.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw ModelFileError.badStorage(path: path, name: name + scaleSuffix, reason: "scale \(wrong) is not positive and finite")
        }
        var zeroPoints = [Int](repeating: 0, count: sets)
        if scheme == .affine {
            zeroPoints = try entry(name + zeroPointSuffix, dtype: .int8, shape: [sets], in: file, path: path)
                .scalars(as: Int8.self).map(Int.init)
            if let wrong = zeroPoints.first(where: { $0 < range.qmin || $0 > range.qmax }) {
                throw ModelFileError.badStorage(path: path, name: name + zeroPointSuffix,
                                                reason: "zero point \(wrong) lies outside [\(range.qmin), \(range.qmax)]")
            }
        }
        let parameters = zip(scales, zeroPoints).map { QuantizationParameters(scale: $0, zeroPoint: $1, range: range) }
        let storage = codes.withUnsafeBufferPointer { PackedCodes(codes: $0, bits: bits) }
        return QuantizedTensor(shape: shape, spec: spec, parameters: parameters, storage: storage)
    }

    private static func readBlocks(_ name: String, format: BlockFormat, shape: [Int], in file: SafetensorsFile,
                                   path: String) throws -> BlockQuantizedTensor {
        let count = shape.reduce(1, *)
        let rowLength = shape.count >= 2 ? count / max(shape[0], 1) : count
        guard count > 0, rowLength % BlockFormat.blockSize == 0 else {
            throw ModelFileError.badStorage(path: path, name: name,
                                            reason: "rows of \(rowLength) weights do not split into blocks of \(BlockFormat.blockSize)")
        }
        let byteCount = count / BlockFormat.blockSize * format.bytesPerBlock
        let bytes = try entry(name, dtype: .uint8, shape: [byteCount], in: file, path: path).scalars(as: UInt8.self)
        let blocks = BlockQuantizedTensor(shape: shape, format: format, blockBytes: bytes)
        for block in 0..<blocks.blockCount where !blocks.scale(ofBlock: block).isFinite {
            throw ModelFileError.badStorage(path: path, name: name, reason: "block \(block) has a scale that is not finite")
        }
        return blocks
    }
}

extension BlockQuantizedTensor {
    /// Blocks as stored (read back from a file); `blockBytes` must hold `count / 32` blocks.
    init(shape: [Int], format: BlockFormat, blockBytes: [UInt8]) {
        precondition(blockBytes.count == shape.reduce(1, *) / BlockFormat.blockSize * format.bytesPerBlock,
                     "BlockQuantizedTensor: \(blockBytes.count) bytes for shape \(shape) in \(format.displayName)")
        self.shape = shape
        self.format = format
        self.bytes = blockBytes
    }
}
