import SlimKernels

/// The `shared` form (see `WeightForm`): a weight that shares its values, kept as the codebook
/// and the coded centroid indices that `SharedWeightEncoding` makes.
extension VariantCodec {
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
        if let csr = kernel as? CSRDenseKernel { form.settings.merge(csrRunSettings(csr)) { _, new in new } }
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
            kernel = try csrKernel(name, weight: value, mask: mask, form: form, path: path)
        }
        return DecodedWeight(value: value, mask: mask, kernel: kernel, codebook: codebook)
    }
}
