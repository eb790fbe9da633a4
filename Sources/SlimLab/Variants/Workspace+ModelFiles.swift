import Foundation
import SlimKernels

/// Saving and loading variants as safetensors files.
extension Workspace {
    /// Writes variant `name` (current when nil) to `path` atomically; returns the bytes written.
    @discardableResult
    public func saveModel(_ name: String? = nil, to path: String) throws -> Int {
        let variant = try variants.variant(named: name)
        let file = ModelFile.encode(variant.model, name: variant.name)
        try file.write(to: path)
        return try file.encoded().count
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
        return variant
    }
}
