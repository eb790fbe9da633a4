import Foundation
import SlimKernels

/// What `model save` wrote: the file's size and what it is made of.
public struct SavedModelFile: Sendable, Equatable {
    public var path: String
    /// The file's size on disk.
    public var fileBytes: Int
    /// The bytes of its tensors (the variant's stored bytes, plus mask bits and activation
    /// ranges where it has them).
    public var tensorBytes: Int
    /// The variant's bytes as `compare` counts them.
    public var variantBytes: Int

    /// The header: its length, the JSON of the tensor table and the metadata, the padding.
    public var headerBytes: Int { fileBytes - tensorBytes }
}

/// Saving and loading variants as safetensors files.
extension Workspace {
    /// Writes variant `name` (current when nil) to `path` atomically, in the form it is stored
    /// (codes, CSR, blocks), and marks it kept.
    @discardableResult
    public func saveModel(_ name: String? = nil, to path: String) throws -> SavedModelFile {
        let variant = try variants.variant(named: name)
        let file = ModelFile.encode(variant.model, name: variant.name)
        try file.write(to: path)
        keptVariants.record(variant)
        return SavedModelFile(path: path, fileBytes: try file.encoded().count,
                              tensorBytes: file.tensors.reduce(0) { $0 + $1.tensor.bytes.count },
                              variantBytes: variant.model.storedByteCount)
    }

    /// Reads a model file and adds it as a variant: `name`, else the name saved in the file if
    /// it is free, else the file's base name (made unique). Nothing changes if reading fails.
    @discardableResult
    public func loadModel(from path: String, name: String? = nil) throws -> Variant {
        let (model, savedName) = try ModelFile.read(from: path, budget: budget)
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let chosen: String
        if let name {
            chosen = name
        } else if let savedName, VariantTable.isValidName(savedName), !variants.names.contains(savedName) {
            chosen = savedName
        } else {
            let cleaned = String(base.map { VariantTable.isValidName(String($0)) || "-_.".contains($0) ? $0 : "-" })
            chosen = variants.uniqueName(VariantTable.isValidName(cleaned) ? cleaned : "model")
        }
        let variant = Variant(name: chosen, model: model, origin: "loaded from \(URL(fileURLWithPath: path).lastPathComponent)")
        try variants.add(variant)
        keptVariants.record(variant)
        return variant
    }

    /// The variants that are not kept on disk as they are now (never saved, or changed since),
    /// in creation order: what leaving would lose.
    public var unsavedVariantNames: [String] {
        variants.variants.filter { !keptVariants.keeps($0) }.map(\.name)
    }
}
