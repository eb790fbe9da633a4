import SlimKernels

/// The forms that keep integer codes (see `WeightForm`): `grid` (codes with scales and zero
/// points), `sparse-codes` (a pruned layer's codes, as a grid or as CSR) and llama.cpp's
/// `q8_0`/`q4_0` blocks.
extension VariantCodec {
    static func writeGrid(_ q: QuantizedTensor, name: String, into file: inout SafetensorsFile) -> (WeightForm, String) {
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
            words += " of \(ModelError.shapeText(q.shape)), \(packedLayout(width: width))"
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

    static func writeSparseCodes(_ kernel: SparseCodesDenseKernel, name: String,
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
            words += "here \(packedLayout(width: width))"
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

    static func writeBlocks(_ b: BlockQuantizedTensor, name: String, into file: inout SafetensorsFile) -> (WeightForm, String) {
        let kind: WeightForm.Kind = b.format == .q8_0 ? .q8_0 : .q4_0
        file[name] = try? SafetensorsTensor(shape: [b.bytes.count], scalars: b.bytes)
        let codes = b.format == .q8_0
            ? "32 int8 q; w = d·q"
            : "16 bytes, weight j in the low nibble of byte j, j + 16 in its high nibble; w = d·(q − 8)"
        let words = "\(b.format.displayName) blocks of \(ModelError.shapeText(b.shape)) as llama.cpp stores them (U8): "
            + "per 32 weights of a row, an fp16 scale d (2 bytes, little-endian), then \(codes)"
        return (WeightForm(kind), words)
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
        let codes = try readCodes(name, count: count, int8Shape: shape, bits: bits, range: range, of: " of \(spec)",
                                  in: file, path: path)
        let scales = try readScales(name, count: sets, in: file, path: path)
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
        let codes = try readCodes(name, count: nnz, int8Shape: [nnz], bits: bits, range: range, in: file, path: path)
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
        let scales = try readScales(name, count: rows, in: file, path: path)
        let parameters = scales.map { QuantizationParameters(scale: $0, zeroPoint: 0, range: range) }
        let storage = dense.withUnsafeBufferPointer { PackedCodes(codes: $0, bits: bits) }
        return QuantizedTensor(shape: shape, spec: QuantizationSpec(bits: bits, scheme: .symmetric, granularity: .channel),
                               parameters: parameters, storage: storage)
    }

    /// How codes narrower than a byte are packed, in words.
    private static func packedLayout(width: Int) -> String {
        "\(8 / width) per byte (U8), code i in bits \(width)·(i % \(8 / width)) of byte i / \(8 / width), two's complement"
    }

    /// `count` codes of `bits` stored as `name`: I8 of `int8Shape` for 5–8 bits, else packed U8;
    /// each must lie in `range` (`of` ends the error's words).
    private static func readCodes(_ name: String, count: Int, int8Shape: [Int], bits: Int, range: IntegerRange, of: String = "",
                                  in file: SafetensorsFile, path: String) throws -> [Int8] {
        let width = PackedCodes.fieldWidth(forBits: bits)
        let codes: [Int8]
        if width == 8 {
            codes = try entry(name, dtype: .int8, shape: int8Shape, in: file, path: path).scalars(as: Int8.self)
        } else {
            let perByte = 8 / width
            let bytes = try entry(name, dtype: .uint8, shape: [(count + perByte - 1) / perByte], in: file, path: path)
                .scalars(as: UInt8.self)
            codes = PackedCodes(storedBytes: bytes, count: count, bits: bits).unpacked(shape: [count]).scalars
        }
        if let outside = codes.first(where: { Int($0) < range.qmin || Int($0) > range.qmax }) {
            throw ModelFileError.badStorage(path: path, name: name,
                                            reason: "code \(outside) lies outside [\(range.qmin), \(range.qmax)]\(of)")
        }
        return codes
    }

    /// The `count` scales of `name`, each positive and finite.
    private static func readScales(_ name: String, count: Int, in file: SafetensorsFile, path: String) throws -> [Float] {
        let scales = try entry(name + scaleSuffix, dtype: .float32, shape: [count], in: file, path: path).scalars(as: Float.self)
        if let wrong = scales.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw ModelFileError.badStorage(path: path, name: name + scaleSuffix, reason: "scale \(wrong) is not positive and finite")
        }
        return scales
    }

    static func readBlocks(_ name: String, format: BlockFormat, shape: [Int], in file: SafetensorsFile,
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
